import type { FairnessReport, GroupMetrics } from '../../src/shared/evaluation';
import { card, select } from '../common/card';
import { dataTable, h } from '../common/dom';
import { metricValue, note, section, type Page } from './page';
import { fairnessThresholdsSpec } from './specs';
import { formatCount } from '../../src/core/util/format';

const RATES = ['selection_rate', 'tpr', 'fpr', 'fnr', 'tnr'] as const;
const RATE_TITLE: Record<string, string> = {
  selection_rate: 'selection rate',
  tpr: 'true positive rate',
  fpr: 'false positive rate',
  fnr: 'false negative rate',
  tnr: 'true negative rate',
};

export function currentFairness(page: Page): FairnessReport | undefined {
  const all = page.view.report.fairness;
  return all.find((f) => f.name === page.state().fairness) ?? all[0];
}

/** Fairlearn's MetricFrame for one sensitive feature: groups, disparities, the summary criteria, rates across thresholds. */
export function fairnessTab(page: Page): HTMLElement {
  const all = page.view.report.fairness;
  const f = currentFairness(page);
  if (!f)
    return note(
      'no-fairness',
      'No fairness analysis. Add `evaluate.fairness.sensitive` (e.g. `[sex, race]`) to see the metrics per group and their disparities.',
    );
  const chooser =
    all.length > 1
      ? select(
          'fairness-entry',
          'Sensitive feature',
          all.map((x) => ({ value: x.name, label: x.name, description: `${x.groups.length} groups` })),
          f.name,
          (name) => {
            page.save({ fairness: name });
            page.rebuild();
          },
        )
      : h('span', { class: 'field' }, h('span', null, 'Sensitive feature'), h('strong', null, f.name));
  return h(
    'section',
    null,
    h('div', { class: 'toolbar' }, chooser, h('span', { class: 'legend' }, `rates at the decision threshold ${f.threshold}`)),
    criteria(f),
    section('Groups', 'groups', groupTable(page, f)),
    section('Disparities', 'disparities', disparityTable(f)),
    thresholdsCard(page, f),
  );
}

/** Demographic parity, equalized odds and equal opportunity (binary): difference (0 is parity) and ratio (1 is parity). */
function criteria(f: FairnessReport): HTMLElement | null {
  const items: [string, string, { difference: number | null; ratio: number | null } | undefined][] = [
    ['demographic-parity', 'Demographic parity', f.demographicParity],
    ['equalized-odds', 'Equalized odds', f.equalizedOdds],
    ['equal-opportunity', 'Equal opportunity', f.equalOpportunity],
  ];
  const cards = items.flatMap(([id, title, pair]) =>
    pair
      ? [
          h(
            'div',
            { class: 'metric-card', testid: `fairness-${id}` },
            h('div', { class: 'metric-name' }, title),
            h('div', { class: 'metric-value', title: 'difference: 0 is parity; lower is better' }, metricValue(pair.difference)),
            h('div', { class: 'metric-interval', title: 'ratio: 1 is parity; higher is better' }, `ratio ${metricValue(pair.ratio)}`),
          ),
        ]
      : [],
  );
  return cards.length ? h('div', { class: 'metric-grid' }, cards) : null;
}

function groupTable(page: Page, f: FairnessReport): HTMLElement {
  const rates = f.overall.rates ? RATES.filter((r) => [f.overall, ...f.groups].some((g) => g.rates && g.rates[r] !== null)) : [];
  const metrics = page.view.metrics.filter((k) => k !== 'example_count' && [f.overall, ...f.groups].some((g) => k in g.metrics));
  const row = (g: GroupMetrics, overall: boolean) =>
    h(
      'tr',
      { class: overall ? 'overall' : '', testid: `group-row-${g.group}` },
      h('th', { attrs: { scope: 'row' } }, g.group),
      h('td', { class: 'num' }, formatCount(g.count)),
      rates.map((r) => h('td', { class: 'num' }, metricValue(g.rates?.[r]))),
      metrics.map((k) => h('td', { class: 'num' }, metricValue(g.metrics[k]))),
    );
  const headings = ['Group', 'Rows', ...rates.map((r) => ({ text: r, title: RATE_TITLE[r] })), ...metrics];
  return dataTable('group-table', headings, [row(f.overall, true), ...f.groups.map((g) => row(g, false))]);
}

function disparityTable(f: FairnessReport): HTMLElement {
  const entries = Object.entries(f.disparities);
  if (!entries.length) return note('no-disparities', 'Fewer than two groups have values: no disparity to compute.');
  const headings = [
    'Measure',
    { text: 'Difference', title: 'max − min over groups: 0 is parity' },
    { text: 'Ratio', title: 'min / max over groups: 1 is parity' },
    { text: 'Difference to overall', title: 'max |group − overall|' },
    { text: 'Ratio to overall', title: 'min over groups of min(group / overall, overall / group)' },
  ];
  const rows = entries.map(([measure, d]) =>
    h(
      'tr',
      { testid: `disparity-${measure}` },
      h('th', { attrs: { scope: 'row' } }, measure),
      [d.difference, d.ratio, d.differenceToOverall, d.ratioToOverall].map((v) => h('td', { class: 'num' }, metricValue(v))),
    ),
  );
  return dataTable('disparity-table', headings, rows);
}

function thresholdsCard(page: Page, f: FairnessReport): HTMLElement | null {
  if (!f.atThresholds?.length) return null;
  const rate = () => {
    const chosen = page.state().fairnessRate;
    return chosen && (RATES as readonly string[]).includes(chosen) ? chosen : 'selection_rate';
  };
  const el = h('div', { class: 'chart', testid: 'fairness-thresholds' });
  const draw = () => {
    const chart = fairnessThresholdsSpec(f, rate());
    if (chart) void page.charts.draw('fairness-thresholds', el, chart.spec, chart.data);
  };
  page.afterLayout(draw);
  const chooser = select(
    'fairness-rate',
    'Rate',
    RATES.map((r) => ({ value: r, label: RATE_TITLE[r] })),
    rate(),
    (r) => {
      page.save({ fairnessRate: r });
      draw();
    },
  );
  return h(
    'div',
    { class: 'chart-grid single' },
    card('Rates across decision thresholds', 'fairness-thresholds', el, (fmt) => page.exportImage('fairness-thresholds', fmt), chooser),
  );
}

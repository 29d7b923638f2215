import type { EvaluationView } from '../../src/shared/evaluation';
import { largeRegressions, regressionText } from '../../src/shared/evaluationView';
import { formatMetric, formatCount } from '../../src/core/util/format';
import { h, icon, pageHeader } from '../common/dom';
import { changeMark, intervalText, metricValue } from './page';

/** Title, what was evaluated on which rows, against which baseline, and the verdict. */
export function header(v: EvaluationView): HTMLElement {
  const r = v.report;
  const blessed = r.blessing.blessed;
  return pageHeader(
    {
      title: 'Evaluation',
      testid: 'evaluation-title',
      beside: [
        h(
          'span',
          {
            class: `verdict ${blessed ? 'blessed' : 'not-blessed'}`,
            testid: 'verdict',
            title: blessed ? 'Every threshold passed' : 'A threshold failed: see the Blessing tab',
          },
          icon(blessed ? 'verified-filled' : 'error'),
          blessed ? 'Blessed' : 'Not blessed',
        ),
      ],
    },
    h(
      'p',
      { class: 'subtitle' },
      `Run #${v.runId} · ${v.pipeline} · `,
      h('span', { class: `status status-${v.runStatus}`, testid: 'run-status' }, v.runStatus),
      ` · ${r.task}`,
      ` · ${formatCount(r.data.rows)} rows of ${r.data.source}`,
      r.data.skippedRows ? ` (${formatCount(r.data.skippedRows)} skipped)` : null,
    ),
    regressionBanner(v),
    h(
      'p',
      { class: 'subtitle' },
      'Candidate ',
      h('strong', { testid: 'candidate' }, r.candidate.label),
      ' · baseline ',
      r.baseline
        ? h('strong', { testid: 'baseline' }, r.baseline.label)
        : h('span', { class: 'muted', testid: 'baseline' }, 'none (the first model: change thresholds are skipped)'),
      r.bootstrap ? ` · ${Math.round(r.bootstrap.confidence * 100)}% intervals from ${r.bootstrap.samples} bootstrap samples` : null,
    ),
  );
}

/**
 * Metrics much worse than the baseline, above every tab: the blessing gates only what its thresholds
 * name, and a collapse of an ungated metric (recall 0.56 → 0.02 behind a passing AUC) must be seen.
 */
function regressionBanner(v: EvaluationView): HTMLElement | null {
  const { overall, baseline, blessing } = v.report;
  if (!overall.baseline || !baseline) return null;
  const fell = largeRegressions(overall.metrics, overall.baseline, (k) => v.directions[k] ?? 'neutral');
  if (!fell.length) return null;
  const gated = new Set(blessing.checks.filter((c) => c.kind === 'change' && c.slice === 'Overall').map((c) => c.metric));
  const ungated = fell.filter((r) => !gated.has(r.metric));
  return h(
    'div',
    { class: 'regressions', testid: 'regressions', attrs: { role: 'alert' } },
    icon('warning'),
    h(
      'p',
      null,
      h('strong', null, `Much worse than ${baseline.label}: `),
      fell.map((r) => regressionText(r, formatMetric)).join(', '),
      ungated.length
        ? `. No threshold gates ${ungated.map((r) => r.metric).join(', ')}: the verdict does not account for ${ungated.length === 1 ? 'it' : 'them'}.`
        : '.',
    ),
  );
}

/** Overall metrics as cards: the value, its interval, and the change against the baseline. */
export function overviewTab(v: EvaluationView): HTMLElement {
  const overall = v.report.overall;
  const cards = v.metrics.map((key) => {
    const value = overall.metrics[key];
    const baseline = overall.baseline?.[key];
    const interval = intervalText(overall.intervals?.[key]);
    return h(
      'div',
      { class: 'metric-card', testid: `metric-${key}` },
      h('div', { class: 'metric-name' }, key),
      h('div', { class: 'metric-value' }, metricValue(value)),
      interval ? h('div', { class: 'metric-interval', title: 'Bootstrap confidence interval' }, interval) : null,
      typeof baseline === 'number'
        ? h(
            'div',
            { class: 'metric-baseline' },
            `baseline ${metricValue(baseline)} `,
            changeMark(value, baseline, v.directions[key] ?? 'neutral', `delta-${key}`),
          )
        : null,
    );
  });
  const flagged = v.report.slices.filter((s) => s.worse.length > 0).length;
  return h(
    'section',
    { class: 'overview' },
    h('div', { class: 'metric-grid', testid: 'overall-metrics' }, cards),
    h(
      'p',
      { class: 'subtitle' },
      `${v.report.slices.length} slice${v.report.slices.length === 1 ? '' : 's'} besides Overall`,
      flagged ? h('span', { class: 'worse' }, ` · ${flagged} significantly worse than Overall`) : null,
      ` · minimum slice size ${v.report.minSliceSize}`,
      v.report.fairness.length ? ` · fairness across ${v.report.fairness.map((f) => f.name).join(', ')}` : null,
    ),
  );
}

import type { SliceResult, ThresholdPoint } from '../../src/shared/evaluation';
import { thresholdPointAt } from '../../src/shared/evaluationView';
import { card, select } from '../common/card';
import { h } from '../common/dom';
import { metricValue, note, section, type Page } from './page';
import { calibrationSpec, confusionSpec, prSpec, rocSpec } from './specs';
import type { Chart } from '../common/vega';
import { formatCount } from '../../src/core/util/format';

/** Slices that have plots: Overall first, then in the report's order. */
function plottedSlices(page: Page): SliceResult[] {
  const { report } = page.view;
  return [report.overall, ...report.slices].filter((s) => s.plots && !s.belowMinSize);
}

export function currentSlice(page: Page): SliceResult | undefined {
  const slices = plottedSlices(page);
  return slices.find((s) => s.name === page.state().slice) ?? slices[0];
}

export function currentThreshold(page: Page): number {
  return page.state().threshold ?? page.view.report.decisionThreshold;
}

/** The confusion counts the slider shows (binary), for the page's report. */
export function confusionAt(page: Page): ({ slice: string } & ThresholdPoint) | undefined {
  const slice = currentSlice(page);
  const point = slice?.plots?.thresholds && thresholdPointAt(slice.plots.thresholds, currentThreshold(page));
  return point && slice ? { slice: slice.name, ...point } : undefined;
}

/** ROC, PR and calibration of a chosen slice, and its confusion matrix (binary: at the slider's threshold). */
export function plotsTab(page: Page): HTMLElement {
  const slices = plottedSlices(page);
  const slice = currentSlice(page);
  if (!slice) return note('no-plots', 'The report holds no plots (every slice is below the minimum slice size).');
  const chooser = select(
    'plot-slice',
    'Slice',
    slices.map((s) => ({ value: s.name, label: s.name, description: `${formatCount(s.count)} rows` })),
    slice.name,
    (name) => {
      page.save({ slice: name });
      page.rebuild();
    },
  );
  const plots = slice.plots!;
  const charts: [string, string, Chart | undefined][] = [
    ['roc', 'ROC curve', rocSpec(plots)],
    ['pr', 'Precision–recall curve', prSpec(plots)],
    ['calibration', 'Calibration', calibrationSpec(plots)],
  ];
  const cards = charts.flatMap(([name, title, chart]) => {
    if (!chart) return [];
    const el = h('div', { class: 'chart', testid: name });
    page.afterLayout(() => void page.charts.draw(name, el, chart.spec, chart.data));
    return [card(title, name, el, (f) => page.exportImage(name, f))];
  });
  return h('section', null, h('div', { class: 'toolbar' }, chooser), h('div', { class: 'chart-grid' }, confusionCard(page, slice), ...cards));
}

function confusionCard(page: Page, slice: SliceResult): HTMLElement | null {
  const { report } = page.view;
  const matrix = slice.plots?.confusionMatrix;
  if (matrix) {
    const chart = confusionSpec(matrix, report.classes ?? []);
    const el = h('div', { class: 'chart', testid: 'confusion-matrix' });
    page.afterLayout(() => void page.charts.draw('confusion', el, chart.spec, chart.data));
    return card('Confusion matrix (rows: actual, columns: predicted)', 'confusion', el, (f) => page.exportImage('confusion', f));
  }
  const points = slice.plots?.thresholds;
  if (!points?.length) return null;
  const body = h('div', { class: 'confusion' });
  const value = h('span', { class: 'threshold-value', testid: 'threshold-value' });
  const fill = () => {
    const p = thresholdPointAt(points, currentThreshold(page))!;
    value.textContent = p.threshold.toFixed(2);
    body.replaceChildren(binaryMatrix(p, report.classes));
    page.changed();
  };
  const thresholds = points.map((p) => p.threshold);
  const slider = h('input', {
    testid: 'threshold',
    attrs: {
      type: 'range',
      min: String(Math.min(...thresholds)),
      max: String(Math.max(...thresholds)),
      step: String(thresholdStep(thresholds)),
      'aria-label': 'Decision threshold: rows scoring at or above it are predicted positive',
    },
    props: { value: String(currentThreshold(page)) },
    on: {
      input: (e) => {
        // The slider's steps are floats (0.7999…): keep the threshold as people read it.
        page.save({ threshold: Number(Number((e.target as HTMLInputElement).value).toFixed(6)) });
        fill();
      },
    },
  });
  fill();
  const reset = h(
    'vscode-button',
    {
      testid: 'threshold-reset',
      title: "Back to the evaluation's decision threshold",
      attrs: { secondary: true },
      on: {
        click: () => {
          page.save({ threshold: report.decisionThreshold });
          (slider as HTMLInputElement).value = String(report.decisionThreshold);
          fill();
        },
      },
    },
    `Reset to ${report.decisionThreshold}`,
  );
  const controls = h('span', { class: 'controls' }, h('label', { class: 'field' }, h('span', null, 'Threshold'), slider, value), reset);
  return section('Confusion matrix', 'confusion', body, controls);
}

/** The smallest gap between the report's thresholds (0.01 for TFMA's 0, 0.01, …, 1). */
function thresholdStep(thresholds: number[]): number {
  const sorted = [...new Set(thresholds)].sort((a, b) => a - b);
  let step = 1;
  for (let i = 1; i < sorted.length; i++) step = Math.min(step, sorted[i] - sorted[i - 1]);
  return step > 0 ? step : 0.01;
}

function binaryMatrix(p: ThresholdPoint, classes: string[] | undefined): HTMLElement {
  const [negative, positive] = classes && classes.length === 2 ? classes : ['negative', 'positive'];
  const cell = (testid: string, n: number, kind: string, title: string) => h('td', { class: `cell ${kind}`, testid, title }, formatCount(n));
  return h(
    'div',
    null,
    h(
      'table',
      { class: 'matrix', testid: 'confusion' },
      h('thead', null, h('tr', null, h('th', null, 'actual ↓ / predicted →'), h('th', null, positive), h('th', null, negative))),
      h(
        'tbody',
        null,
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'row' } }, positive),
          cell('cm-tp', p.tp, 'right', 'true positives'),
          cell('cm-fn', p.fn, 'wrong', 'false negatives'),
        ),
        h(
          'tr',
          null,
          h('th', { attrs: { scope: 'row' } }, negative),
          cell('cm-fp', p.fp, 'wrong', 'false positives'),
          cell('cm-tn', p.tn, 'right', 'true negatives'),
        ),
      ),
    ),
    h(
      'p',
      { class: 'subtitle', testid: 'threshold-rates' },
      `precision ${metricValue(p.precision)} · recall ${metricValue(p.recall)} · false positive rate ${metricValue(p.fpr)}`,
    ),
  );
}

import { formatMetric } from '../../src/shared/format';
import type { DriftRowView, DriftView } from '../../src/shared/drift';
import { h, icon } from '../run-details/dom';

export interface RenderActions {
  compare(row: DriftRowView): void;
  pickPipeline(pipeline: string): void;
  openAnomalies(runId: number): void;
}

const P_VALUE_METHODS = new Set(['ks', 'chi2']);
const METHOD_NAME: Record<string, string> = {
  linf: 'L-infinity',
  jsd: 'Jensen-Shannon',
  psi: 'PSI',
  wasserstein: 'Wasserstein',
  ks: 'Kolmogorov-Smirnov',
  chi2: 'chi-squared',
};

export function renderDrift(v: DriftView, actions: RenderActions): HTMLElement {
  const fired = v.rows.filter((r) => r.fired).length;
  return h(
    'div',
    { class: 'drift' },
    h(
      'div',
      { class: 'toolbar' },
      v.pipelines.length > 1 ? picker(v, actions) : h('span', { class: 'pipeline' }, v.pipeline),
      h(
        'a',
        { attrs: { href: '#', role: 'button' }, title: 'Show all anomalies of this run', testid: 'open-anomalies', on: { click: (e) => (e.preventDefault(), actions.openAnomalies(v.runId)) } },
        `run #${v.runId}`,
      ),
    ),
    h(
      'p',
      { class: `summary ${fired ? 'fired' : 'ok'}`, testid: 'drift-summary' },
      icon(fired ? 'error' : 'pass'),
      v.rows.length ? ` ${fired} of ${v.rows.length} checks fired` : ' No drift or skew thresholds in the schema.',
    ),
    h('ul', { class: 'rows', attrs: { role: 'list' } }, v.rows.map((r) => row(r, actions))),
  );
}

export function renderEmpty(message: string): HTMLElement {
  return h('div', { class: 'empty', testid: 'drift-empty' }, icon('pulse'), h('p', null, message));
}

function picker(v: DriftView, actions: RenderActions): HTMLElement {
  return h(
    'vscode-single-select',
    {
      class: 'picker',
      title: v.chosenBy === 'editor' ? 'Following the pipeline file in the editor' : 'Pipeline',
      attrs: { 'aria-label': 'Pipeline' },
      props: { value: v.pipeline },
      on: { change: (e) => actions.pickPipeline((e.target as HTMLElement & { value: string }).value) },
    },
    v.pipelines.map((p) => h('vscode-option', { attrs: { value: p, selected: p === v.pipeline } }, p)),
  );
}

function row(r: DriftRowView, actions: RenderActions): HTMLElement {
  const pTest = P_VALUE_METHODS.has(r.method);
  const shown = pTest && r.pValue !== null ? r.pValue : r.value;
  const comparison = r.threshold === null ? '' : pTest ? (r.fired ? ' ≤ ' : ' > ') : r.fired ? ' > ' : ' ≤ ';
  const numbers = `${pTest ? 'p ' : ''}${formatMetric(shown)}${r.threshold === null ? '' : comparison + formatMetric(r.threshold)}`;
  const method = METHOD_NAME[r.method] ?? r.method;
  const tooltip = [
    `${r.kind === 'drift' ? 'Drift' : 'Skew'} of ${r.feature}: ${method} ${pTest ? `statistic ${formatMetric(r.value)}, p-value ${r.pValue ?? '?'}` : formatMetric(r.value)}`,
    r.threshold === null ? 'No threshold' : `Threshold ${r.threshold}${pTest ? ' (fires when p ≤ threshold)' : ' (fires above)'}`,
    r.at ? `Largest difference at: ${r.at}` : '',
    `${r.current} vs ${r.reference}`,
    'Click to compare the two datasets',
  ]
    .filter(Boolean)
    .join('\n');
  return h(
    'li',
    {
      class: `row ${r.fired ? 'fired' : 'ok'}`,
      testid: `drift-row-${r.kind}-${r.feature}`,
      title: tooltip,
      attrs: { role: 'button', tabindex: '0' },
      on: {
        click: () => actions.compare(r),
        keydown: (e) => {
          const k = (e as KeyboardEvent).key;
          if (k === 'Enter' || k === ' ') (e.preventDefault(), actions.compare(r));
        },
      },
    },
    h(
      'div',
      { class: 'line' },
      icon(r.fired ? 'error' : 'pass', 'state'),
      h('span', { class: 'feature' }, r.feature),
      h('span', { class: `kind kind-${r.kind}` }, r.kind),
      h('span', { class: 'numbers' }, numbers),
    ),
    bar(r),
    h('div', { class: 'meta' }, `${r.method}${r.at ? ` · at ${r.at}` : ''} · ${r.current} vs ${r.reference}`),
  );
}

/**
 * Value against threshold on one scale: the tick in the middle is the threshold, the fill how far
 * the value went (up to twice the threshold). For p-value tests the fill is threshold / p, so
 * "more drift" always means a longer bar. Sizes are set through CSSOM, which the CSP allows.
 */
function bar(r: DriftRowView): HTMLElement {
  const track = h('div', { class: 'bar', attrs: { 'aria-hidden': 'true' } });
  const fill = h('div', { class: 'fill' });
  let ratio: number;
  if (r.threshold === null || r.threshold === 0) ratio = r.fired ? 1 : 0;
  else if (P_VALUE_METHODS.has(r.method)) ratio = r.pValue === null ? 0 : r.pValue === 0 ? 1 : r.threshold / r.pValue / 2;
  else ratio = r.value / r.threshold / 2;
  fill.style.width = `${Math.min(Math.max(ratio, 0.01), 1) * 100}%`;
  track.append(fill);
  if (r.threshold !== null) track.append(h('div', { class: 'tick' }));
  return track;
}

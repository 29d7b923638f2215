import { formatMetric, formatTimestamp } from '../../src/core/util/format';
import type { DriftKind, DriftRowView, DriftView, ServingDriftView } from '../../src/shared/drift';
import { h, icon } from '../common/dom';

export interface RenderActions {
  compare(row: DriftRowView): void;
  pickPipeline(pipeline: string): void;
  openAnomalies(runId: number): void;
  openMonitoring(model: string): void;
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

const KIND_NAME: Record<DriftKind, string> = { drift: 'Drift', skew: 'Skew', serving: 'Serving drift' };

export function renderDrift(v: DriftView, actions: RenderActions): HTMLElement {
  const { runId, serving } = v;
  return h(
    'div',
    { class: 'drift' },
    h(
      'div',
      { class: 'toolbar' },
      v.pipelines.length > 1 ? picker(v, actions) : h('span', { class: 'pipeline' }, v.pipeline),
      runId !== null &&
        h(
          'a',
          {
            attrs: { href: '#', role: 'button' },
            title: 'Show all anomalies of this run',
            testid: 'open-anomalies',
            on: { click: (e) => (e.preventDefault(), actions.openAnomalies(runId)) },
          },
          `run #${runId}`,
        ),
    ),
    runId !== null && validationSummary(v.rows.filter((r) => r.kind !== 'serving')),
    serving &&
      servingSummary(
        serving,
        v.rows.filter((r) => r.kind === 'serving'),
        actions,
      ),
    h(
      'ul',
      { class: 'rows', attrs: { role: 'list' } },
      v.rows.map((r, i) => row(r, actions, serving?.model, i > 0 && v.rows[i - 1].feature === r.feature)),
    ),
  );
}

function validationSummary(rows: readonly DriftRowView[]): HTMLElement {
  const fired = rows.filter((r) => r.fired).length;
  return h(
    'p',
    { class: `summary ${fired ? 'fired' : 'ok'}`, testid: 'drift-summary' },
    icon(fired ? 'error' : 'pass'),
    rows.length ? ` ${fired} of ${rows.length} checks fired` : ' No drift or skew thresholds in the schema.',
  );
}

/** The serving line; its link opens the Monitoring panel (the window's time series, alerts, metrics). */
function servingSummary(s: ServingDriftView, rows: readonly DriftRowView[], actions: RenderActions): HTMLElement {
  const fired = rows.some((r) => r.fired);
  const state = !rows.length ? 'none' : fired ? 'fired' : 'ok';
  const title = [s.window && `Checked ${formatTimestamp(s.window.checkedAt)} (window ${s.window.key})`, ...s.notes].filter(Boolean).join('\n');
  return h(
    'p',
    { class: `summary serving ${state}`, testid: 'drift-serving-summary', title: title || undefined },
    icon(state === 'none' ? 'pulse' : fired ? 'error' : 'pass'),
    h('span', { class: 'text' }, s.summary),
    h(
      'a',
      {
        attrs: { href: '#', role: 'button' },
        title: `Open the Monitoring panel of ${s.model}`,
        testid: 'open-monitoring',
        on: { click: (e) => (e.preventDefault(), actions.openMonitoring(s.model)) },
      },
      'Monitoring',
    ),
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

/** `continued`: the row follows another of the same feature (its name is dimmed, the group reads as one). */
function row(r: DriftRowView, actions: RenderActions, model: string | undefined, continued: boolean): HTMLElement {
  const pTest = P_VALUE_METHODS.has(r.method);
  const shown = pTest && r.pValue !== null ? r.pValue : r.value;
  const comparison = r.threshold === null ? '' : pTest ? (r.fired ? ' ≤ ' : ' > ') : r.fired ? ' > ' : ' ≤ ';
  const numbers = `${pTest ? 'p ' : ''}${formatMetric(shown)}${r.threshold === null ? '' : comparison + formatMetric(r.threshold)}`;
  const method = METHOD_NAME[r.method] ?? r.method;
  const tooltip = [
    `${KIND_NAME[r.kind]} of ${r.feature}: ${method} ${pTest ? `statistic ${formatMetric(r.value)}, p-value ${r.pValue ?? '?'}` : formatMetric(r.value)}`,
    r.threshold === null ? 'No threshold' : `Threshold ${r.threshold}${pTest ? ' (fires when p ≤ threshold)' : ' (fires above)'}`,
    r.at ? `Largest difference at: ${r.at}` : '',
    `${r.current} vs ${r.reference}`,
    r.kind === 'serving' ? `Click to open the Monitoring panel${model ? ` of ${model}` : ''}` : 'Click to compare the two datasets',
  ]
    .filter(Boolean)
    .join('\n');
  return h(
    'li',
    {
      class: `row ${r.fired ? 'fired' : 'ok'} row-${r.kind}${continued ? ' continued' : ''}`,
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

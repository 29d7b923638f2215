import type { MonitoringState, MonitoringView, WindowCheck, WindowMetric, WindowPoint } from '../../src/shared/monitoring';
import { metricsOf, mostPressured, shownSubjects, subjectsOf, TOP, TOP_FEATURES } from '../../src/shared/monitoringView';
import { formatMetric, formatCount } from '../../src/core/util/format';
import { select } from '../common/card';
import type { ChartPage } from '../common/drawn';
import { dataTable, h, icon } from '../common/dom';
import { card, note } from './cards';
import { metricSpec, subjectDriftSpec, timeRange, windowLatencySpec } from './specs';
import type { Chart } from '../common/vega';

/** What the windows section needs of the page. */
export type Page = ChartPage<MonitoringView, MonitoringState>;

/** Rows of the window table: the newest; the charts show them all. */
const TABLE_ROWS = 100;

const featureChecks = (w: WindowPoint) => w.drift;
const predictionChecks = (w: WindowPoint) => w.predictionDrift;

function chartEl(page: Page, name: string, chart: Chart): HTMLElement {
  const el = h('div', { class: 'chart', testid: name });
  page.afterLayout(() => void page.charts.draw(name, el, chart.spec, chart.data));
  return el;
}

function emptyText(v: MonitoringView): string {
  const cut = v.settings ? `(${v.settings})` : '(by default a window every 1,000 rows)';
  if (v.serving?.state === 'serving' && v.serving.monitoring)
    return `No checked windows yet: the monitor beside the server checks each window once it is full ${cut}. Send traffic.`;
  return `No checked windows yet. Start Serving and send traffic; \`mlops monitor\` checks each window of served rows ${cut}. A server started outside the editor needs \`mlops monitor --follow\` beside it.`;
}

/** Feature drift with a feature picker (the most pressured by default), prediction drift with all its subjects. */
function driftCard(page: Page, kind: 'drift' | 'prediction-drift'): HTMLElement | null {
  const { windows } = page.view;
  const checks = kind === 'drift' ? featureChecks : predictionChecks;
  const all = subjectsOf(windows, checks);
  if (!all.length) return null;
  const chosen = kind === 'drift' ? page.state().driftFeatures : undefined;
  const subjects = shownSubjects(windows, checks, chosen);
  const title = kind === 'drift' ? 'Feature drift' : 'Prediction drift';
  const body = h(
    'div',
    { class: 'small-multiples', testid: kind },
    subjects.map((subject) =>
      h('div', { class: 'subject' }, h('h3', null, subject), chartEl(page, `${kind}:${subject}`, subjectDriftSpec(windows, checks, subject))),
    ),
  );
  const caption = h(
    'p',
    { class: 'caption' },
    kind === 'drift'
      ? `Each feature's distance (or p-value) per window, against its threshold (dashed): a distance fires above it, a p-value at or below (◆). ${all.length > subjects.length ? `${subjects.length} of ${all.length} features shown.` : ''}`
      : "The score and predicted class against the offline evaluation's predictions, per window, against their thresholds (dashed); ◆ fired.",
  );
  let controls: HTMLElement | null = null;
  if (kind === 'drift' && all.length > 1) {
    const top = mostPressured(windows, checks);
    const isTop = !chosen?.some((s) => s !== TOP && all.includes(s));
    const replace = (features: string[]) => {
      page.save({ driftFeatures: features });
      const next = driftCard(page, kind);
      if (next) element.replaceWith(next);
    };
    controls = h(
      'span',
      { class: 'controls' },
      h(
        'vscode-multi-select',
        {
          testid: 'drift-features',
          class: 'features',
          attrs: { 'aria-label': 'Features shown' },
          on: { change: (e) => replace((e.target as HTMLElement & { value: string[] }).value) },
        },
        all.map((f) => h('vscode-option', { attrs: { value: f, selected: subjects.includes(f) } }, f)),
      ),
      h(
        'vscode-button',
        {
          testid: 'drift-top',
          title: `Show the ${TOP_FEATURES} features that came closest to (or past) their thresholds`,
          attrs: { secondary: true, disabled: isTop },
          on: { click: () => replace([TOP]) },
        },
        `Most pressured (${top.length})`,
      ),
    );
  }
  const element = card(title, kind, h('div', null, caption, body), controls);
  return element;
}

function metricCard(page: Page): HTMLElement | null {
  const metrics = metricsOf(page.view.windows);
  if (!metrics.length) return null;
  const metric = metrics.includes(page.state().metric ?? '') ? page.state().metric! : metrics[0];
  const picker = select(
    'metric-picker',
    'Metric',
    metrics.map((m) => ({ value: m, label: m })),
    metric,
    (m) => {
      page.save({ metric: m });
      const next = metricCard(page);
      if (next) element.replaceWith(next);
    },
  );
  const caption = h('p', { class: 'caption' }, 'Online, on the labelled rows of each window; dashed: the offline evaluation; dotted: the configured bounds.');
  const element = card('Online metrics', 'metric', h('div', null, caption, chartEl(page, 'metric', metricSpec(page.view.windows, metric))), picker);
  return element;
}

const cell = (text: string | number | HTMLElement | null, cls = '', title?: string) => h('td', { class: cls, title }, text ?? '–');
const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '–' : Number(v.toPrecision(digits)).toLocaleString('en-US'));

function driftCell(checks: readonly WindowCheck[]): HTMLElement {
  if (!checks.length) return cell('not checked', 'muted');
  const fired = checks.filter((c) => c.fired);
  return fired.length
    ? cell(
        h('span', { class: 'fired' }, icon('warning'), ` ${fired.length} of ${checks.length}: ${fired.map((c) => c.subject).join(', ')}`),
        '',
        fired.map((c) => `${c.subject}: ${c.method}`).join('\n'),
      )
    : cell(`0 of ${checks.length}`, 'muted');
}

function metricsCell(metrics: readonly WindowMetric[]): HTMLElement {
  const shown = metrics.filter((m) => m.online !== null || m.passed !== null);
  if (!shown.length) return cell('–', 'muted');
  return h(
    'td',
    null,
    ...shown.map((m) =>
      h(
        'span',
        {
          class: `metric ${m.passed === false ? 'failed' : m.passed ? 'passed' : ''}`,
          title: m.offline === null ? undefined : `offline ${formatMetric(m.offline)}`,
        },
        `${m.metric} ${m.online === null ? '–' : formatMetric(m.online)}`,
      ),
    ),
  );
}

function windowTable(windows: readonly WindowPoint[]): HTMLElement {
  const newest = [...windows].reverse().slice(0, TABLE_ROWS);
  const rows = newest.map((w) =>
    h(
      'tr',
      { attrs: { 'data-key': w.key, 'data-alerts': String(w.alerts) } },
      cell(timeRange(w.start, w.end), 'time'),
      cell(`v${w.version}`),
      cell(formatCount(w.rows), 'num'),
      cell(formatCount(w.labelled), 'num'),
      cell(w.latency ? `${num(w.latency.p50)} / ${num(w.latency.p99)}` : '–', 'num'),
      driftCell(w.drift),
      driftCell(w.predictionDrift),
      metricsCell(w.metrics),
      cell(w.alerts ? h('span', { class: 'fired' }, icon('bell'), ` ${w.alerts}`) : '0', 'num'),
      cell(
        w.notes.length ? h('span', { title: w.notes.join('\n') }, icon('note'), ` ${w.notes[0]}${w.notes.length > 1 ? ` (+${w.notes.length - 1})` : ''}`) : '',
        'notes',
      ),
    ),
  );
  const headings = [
    'Window',
    'Version',
    'Rows',
    'Labelled',
    'Latency p50 / p99 (ms)',
    'Feature drift fired',
    'Prediction drift fired',
    'Online metrics',
    'Alerts',
    'Notes',
  ];
  const caption =
    windows.length > newest.length && h('p', { class: 'caption' }, `The newest ${newest.length} of ${windows.length} windows; the charts show them all.`);
  return dataTable('window-table', headings, rows, { class: 'windows', caption });
}

/** The latest window in a sentence, with its notes (why something was not checked). */
function latest(w: WindowPoint): HTMLElement {
  return h(
    'div',
    { class: 'latest', testid: 'latest-window' },
    h(
      'p',
      null,
      h('strong', null, 'Latest window: '),
      `${timeRange(w.start, w.end)} · v${w.version} · ${formatCount(w.rows)} rows, ${formatCount(w.labelled)} labelled`,
    ),
    w.notes.length ? h('ul', { class: 'notes', testid: 'latest-notes' }, ...w.notes.map((n) => h('li', null, icon('info'), ' ', n))) : null,
  );
}

/** The checked windows: charts over time, the table, the latest window's notes. */
export function windowsSection(page: Page): HTMLElement {
  const { windows } = page.view;
  const title = h('h2', null, `Checked windows (${windows.length})`);
  if (!windows.length) return h('section', { class: 'windows', testid: 'windows' }, title, note('windows-empty', emptyText(page.view)));
  const hasLatency = windows.some((w) => w.latency);
  const cards = [
    driftCard(page, 'drift'),
    driftCard(page, 'prediction-drift'),
    metricCard(page),
    hasLatency ? card('Latency per window', 'window-latency', chartEl(page, 'window-latency', windowLatencySpec(windows))) : null,
  ];
  return h(
    'section',
    { class: 'windows', testid: 'windows' },
    title,
    latest(windows[windows.length - 1]),
    h('div', { class: 'grid' }, ...cards),
    windowTable(windows),
  );
}

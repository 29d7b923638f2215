// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '../common/vega.css';
import '../common/panel.css';
import './style.css';
import { DEFAULT_SMOOTHING, isToWebviewMessage, isTrainingState } from '../../src/shared/training';
import type { FromWebviewMessage, ToWebviewMessage, SeriesPoints, SeriesUpdate, TrainingState, TrainingView } from '../../src/shared/training';
import { emptyState, h } from '../common/dom';
import { RunPageState } from '../common/pageState';
import { startPage } from '../common/boot';
import { LineChart } from './chart';
import { chartCard, header, toolbar } from './render';
import { resetChartTheme } from '../common/vega';

const app = document.getElementById('app')!;

const { post, logError } = startPage<ToWebviewMessage, FromWebviewMessage>({ isMessage: isToWebviewMessage, onMessage: handleMessage, onTheme: themeChanged });

const page = new RunPageState<TrainingState>(isTrainingState);

const save = (patch: Partial<TrainingState>): void => page.save(patch);

let view: TrainingView | undefined;
/** What the page holds of each series (what it draws), kept to redraw without a round trip. */
const series = new Map<string, SeriesPoints>();
const minimum = new Map<string, number | null>();
let charts: LineChart[] = [];
/** Updates are applied one after another: vega's dataflow runs asynchronously. */
let work: Promise<void> = Promise.resolve();
const enqueue = (f: () => Promise<void>): void => {
  work = work.then(f).catch(logError);
};

function reportRendered(): void {
  const points: Record<string, number> = {};
  for (const c of charts) for (const [key, n] of c.points()) points[key] = n;
  post({ type: 'rendered', payload: { charts: charts.length, points, logScale: !!page.state.logScale } });
}

function chartMin(keys: readonly string[]): number | null {
  const values = keys.map((k) => minimum.get(k)).filter((v): v is number => typeof v === 'number');
  return values.length ? Math.min(...values) : null;
}

async function drawAll(): Promise<void> {
  if (!view) return;
  const smoothing = view.smoothing > 0;
  for (const c of charts) await c.render(series, { smoothing, logScale: !!page.state.logScale, min: chartMin(c.view.keys) });
  reportRendered();
}

async function exportChart(chart: LineChart, format: 'svg' | 'png'): Promise<void> {
  const data = await chart.image(format);
  if (data) post({ type: 'exportChart', payload: { chart: chart.view.id, format, data } });
}

let smoothingTimer: number | undefined;
function setSmoothing(value: number): void {
  save({ smoothing: value });
  window.clearTimeout(smoothingTimer);
  // The extension smooths every point (not just those drawn): ask once the slider rests.
  smoothingTimer = window.setTimeout(() => post({ type: 'smoothing', payload: { smoothing: value } }), 150);
}

/**
 * The page's frame is built once: the toolbar stays in place (a slider being dragged is never
 * replaced under the pointer), the header and the charts are filled from each full view. The same
 * charts as before (a smoothing change) keep their cards and are only drawn again.
 */
const headerSlot = h('div', null);
const chartsSlot = h('div', null);
let toolbarEl: HTMLElement | undefined;

function sameCharts(v: TrainingView): boolean {
  return charts.length === v.charts.length && charts.every((c, i) => c.view.id === v.charts[i].id && c.view.keys.join() === v.charts[i].keys.join());
}

function show(v: TrainingView): void {
  const reuse = view?.runId === v.runId && sameCharts(v);
  view = v;
  series.clear();
  minimum.clear();
  for (const s of v.series) {
    series.set(s.key, s.points);
    minimum.set(s.key, s.min);
  }
  headerSlot.replaceChildren(header(v));
  if (!toolbarEl) {
    toolbarEl = toolbar({
      smoothing: v.smoothing,
      logScale: !!page.state.logScale,
      onSmoothing: setSmoothing,
      onLogScale: (on) => {
        save({ logScale: on });
        enqueue(drawAll);
      },
    });
    app.replaceChildren(headerSlot, toolbarEl, chartsSlot);
  }
  for (const s of v.series) document.querySelector(`[data-testid="total-${CSS.escape(s.key)}"]`)?.replaceChildren(s.total.toLocaleString('en-US'));
  if (!reuse) {
    for (const c of charts) c.finalize();
    charts = v.charts.map((c) => new LineChart(c, h('div', { class: 'chart', testid: `chart-${c.id}` })));
    const totals = new Map(v.series.map((s) => [s.key, s.total]));
    chartsSlot.replaceChildren(
      charts.length
        ? h(
            'section',
            { class: 'chart-grid' },
            charts.map((c) =>
              chartCard(c, totals, v.budget, {
                exportImage: (format) => void exportChart(c, format).catch(logError),
                exportCsv: () => post({ type: 'exportCsv', payload: { chart: c.view.id } }),
              }),
            ),
          )
        : h(
            'p',
            { class: 'empty', testid: 'no-metrics' },
            v.status === 'running' ? 'No metrics yet: the curves appear with the first logged epoch.' : `Run #${v.runId} logged no metrics.`,
          ),
    );
  }
  enqueue(drawAll);
}

function applyUpdate(runId: number, status: string, updates: SeriesUpdate[]): void {
  if (!view || view.runId !== runId) return;
  view = { ...view, status };
  document.querySelector('[data-testid="run-status"]')?.replaceChildren(status);
  enqueue(async () => {
    const redraw = new Set<LineChart>();
    for (const u of updates) {
      const chart = charts.find((c) => c.view.keys.includes(u.key));
      const held = series.get(u.key);
      series.set(u.key, u.replace || !held ? u.points : concat(held, u.points));
      const wasPositive = (chartMin(chart?.view.keys ?? []) ?? 1) > 0;
      minimum.set(u.key, u.min);
      document.querySelector(`[data-testid="total-${CSS.escape(u.key)}"]`)?.replaceChildren(u.total.toLocaleString('en-US'));
      if (!chart) continue;
      // A log axis drawn for positive values cannot take a zero: draw that chart again (symlog).
      if (page.state.logScale && wasPositive && (chartMin(chart.view.keys) ?? 1) <= 0) redraw.add(chart);
      else await chart.add(u.key, u.points, u.replace);
    }
    const smoothing = view!.smoothing > 0;
    for (const c of redraw) await c.render(series, { smoothing, logScale: true, min: chartMin(c.view.keys) });
    reportRendered();
  });
}

function concat(a: SeriesPoints, b: SeriesPoints): SeriesPoints {
  return { steps: a.steps.concat(b.steps), values: a.values.concat(b.values), smoothed: a.smoothed.concat(b.smoothed) };
}

function notFound(message: string): void {
  view = undefined;
  toolbarEl = undefined;
  for (const c of charts) c.finalize();
  charts = [];
  app.replaceChildren(emptyState('training-not-found', message));
}

function handleMessage(message: ToWebviewMessage): void {
  switch (message.type) {
    case 'view':
      save({ smoothing: message.payload.smoothing });
      show(message.payload);
      break;
    case 'update':
      applyUpdate(message.payload.runId, message.payload.status, message.payload.series);
      break;
    case 'notFound':
      notFound(message.payload.message);
      break;
  }
}

// Theme changes: charts take their colours from VS Code's variables, so they are drawn again.
function themeChanged(): void {
  resetChartTheme();
  enqueue(drawAll);
}

post({ type: 'ready', payload: { runId: page.state.runId || null, smoothing: page.state.smoothing ?? DEFAULT_SMOOTHING } });

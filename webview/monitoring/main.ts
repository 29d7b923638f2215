// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '../common/vega.css';
import '../common/panel.css';
import '../compare/style.css';
import './style.css';
import { isMonitoringState, isMonitoringToWebviewMessage } from '../../src/shared/monitoring';
import type {
  MonitoringFromWebviewMessage,
  MonitoringToWebviewMessage,
  MonitoringState,
  MonitoringView,
  ServingInfo,
  TrafficPoint,
} from '../../src/shared/monitoring';
import { appendTraffic } from '../../src/shared/monitoringView';
import { resetChartTheme } from '../common/vega';
import { DrawnCharts } from '../common/drawn';
import { emptyState, h } from '../common/dom';
import { afterBurst, startPage } from '../common/boot';
import { vscodeApi } from '../common/vscodeApi';
import { alertsSection } from './alerts';
import { header, servingLine, type HeaderActions } from './header';
import { LiveTraffic } from './traffic';
import { windowsSection, type Page } from './windows';

const vscode = vscodeApi<MonitoringState>();
const app = document.getElementById('app')!;

const { post, logError } = startPage<MonitoringToWebviewMessage, MonitoringFromWebviewMessage>({
  isMessage: isMonitoringToWebviewMessage,
  onMessage: handleMessage,
  onTheme: themeChanged,
});

/** Windows kept in the saved view: enough to show at once after a reload, until the fresh view arrives. */
const SAVED_WINDOWS = 100;

/** The saved state is this panel's (VS Code keeps it per panel); the model attribute only names a new panel's. */
function initialState(): MonitoringState {
  const saved = vscode.getState();
  if (isMonitoringState(saved)) return saved;
  return { model: document.body.dataset.model ?? '' };
}

let state = initialState();
vscode.setState(state);

function save(patch: Partial<MonitoringState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

let view: MonitoringView | undefined;
let empty: string | null = null;
/** What the page shows, for the tests and the log (after a burst of changes). */
const reportRendered = afterBurst(() => {
  void live.names().then((liveNames) =>
    post({
      type: 'rendered',
      payload: {
        model: view?.model ?? state.model,
        windows: view?.windows.length ?? 0,
        alerts: view ? app.querySelectorAll('[data-testid="alert-row"]').length : 0,
        traffic: view?.traffic.length ?? 0,
        charts: [...liveNames, ...charts.names()],
        empty,
      },
    }),
  );
});

const charts = new DrawnCharts(reportRendered, logError);
const live = new LiveTraffic(reportRendered, logError);

/** Draws waiting for the page to be laid out; null once it is (later draws run on the next frame). */
let pendingDraws: (() => void)[] | null = null;

const page: Page = {
  get view() {
    return view!;
  },
  state: () => state,
  save,
  charts,
  afterLayout: (draw) => (pendingDraws ? pendingDraws.push(draw) : requestAnimationFrame(draw)),
};

const actions: HeaderActions = {
  pickModel: (model) => {
    post({ type: 'pickModel', payload: { model } });
    // Until that model's view arrives (or its own panel comes to the front), the picker shows this one's.
    render();
  },
  startServing: () => view && post({ type: 'startServing', payload: { model: view.model } }),
  stopServing: () => view && post({ type: 'stopServing', payload: { model: view.model } }),
  sendTestRequest: () => view && post({ type: 'sendTestRequest', payload: { model: view.model } }),
};

const openRun = (runId: number) => post({ type: 'openRun', payload: { runId } });

function liveSection(v: MonitoringView): HTMLElement | null {
  return v.serving ? live.section(v.serving, v.traffic, page.afterLayout) : null;
}

function render(): void {
  if (!view) return;
  charts.clear();
  live.clear();
  pendingDraws = [];
  const v = view;
  app.replaceChildren(header(v, actions), h('div', { class: 'live-slot' }, liveSection(v)), windowsSection(page), alertsSection(v.alerts, openRun));
  const draws = pendingDraws;
  pendingDraws = null;
  // After layout: the charts take their container's width.
  requestAnimationFrame(() => draws.forEach((draw) => draw()));
  reportRendered();
}

function show(v: MonitoringView): void {
  // Another model's view (the picker moved this panel): its features and metric are not this one's.
  if (v.model !== state.model) save({ model: v.model, driftFeatures: undefined, metric: undefined });
  view = v;
  empty = null;
  save({ view: { ...v, windows: v.windows.slice(-SAVED_WINDOWS), traffic: [] } });
  render();
}

function showEmpty(model: string, message: string): void {
  view = undefined;
  empty = message;
  charts.clear();
  live.clear();
  save({ model, view: undefined });
  app.replaceChildren(emptyState('monitoring-empty', message));
  reportRendered();
}

/** A live point: the charts grow by it; the serving line shows the server's state. */
function traffic(model: string, point: TrafficPoint, serving: ServingInfo): void {
  if (!view || view.model !== model) return;
  const first = view.traffic.length === 0;
  const stateChanged = JSON.stringify(view.serving) !== JSON.stringify(serving);
  view = { ...view, serving, traffic: appendTraffic(view.traffic, point) };
  if (stateChanged) app.querySelector('[data-testid="serving"]')?.replaceWith(servingLine(serving, actions));
  const slot = app.querySelector('.live-slot');
  if (first || stateChanged) {
    pendingDraws = [];
    slot?.replaceChildren(liveSection(view) ?? '');
    const draws = pendingDraws;
    pendingDraws = null;
    requestAnimationFrame(() => draws.forEach((draw) => draw()));
  } else {
    live.append(point);
  }
  reportRendered();
}

function handleMessage(message: MonitoringToWebviewMessage): void {
  switch (message.type) {
    case 'view':
      return show(message.payload);
    case 'traffic':
      return traffic(message.payload.model, message.payload.point, message.payload.serving);
    case 'empty':
      return showEmpty(message.payload.model, message.payload.message);
  }
}

// Theme changes: the charts' colours come from VS Code's variables, so everything is drawn again.
function themeChanged(): void {
  resetChartTheme();
  render();
}

// The last view at once (after hiding or a reload), then the extension sends a fresh one.
if (state.view) {
  view = state.view;
  render();
}
post({ type: 'ready', payload: {} });

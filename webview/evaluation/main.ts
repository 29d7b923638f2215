// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../common/vega.css';
import '../common/panel.css';
import '../compare/style.css';
import './style.css';
import { EVALUATION_TABS, isEvaluationState, isToWebviewMessage } from '../../src/shared/evaluation';
import type { EvaluationState, EvaluationTab, EvaluationView, FromWebviewMessage, ToWebviewMessage } from '../../src/shared/evaluation';
import { resetChartTheme } from '../common/vega';
import { DrawnCharts } from '../common/drawn';
import { emptyState, h, icon } from '../common/dom';
import { RunPageState } from '../common/pageState';
import { afterBurst, startPage } from '../common/boot';
import { blessingTab } from './blessing';
import { fairnessTab } from './fairness';
import { header, overviewTab } from './overview';
import type { Page } from './page';
import { confusionAt, plotsTab } from './plots';
import { shownSlices, slicesTab } from './slices';

const app = document.getElementById('app')!;

const { post, logError } = startPage<ToWebviewMessage, FromWebviewMessage>({ isMessage: isToWebviewMessage, onMessage: handleMessage, onTheme: themeChanged });

const saved = new RunPageState<EvaluationState>(isEvaluationState);

const save = (patch: Partial<EvaluationState>): void => saved.save(patch);

let view: EvaluationView | undefined;
/** What the page shows, for the tests and the log (after a burst of changes). */
const reportRendered = afterBurst(() => {
  if (!view) return;
  const rows = shownSlices(page);
  const point = view.report.task === 'binary' ? confusionAt(page) : undefined;
  post({
    type: 'rendered',
    payload: {
      tab: currentTab(),
      sliceRows: rows.length,
      flagged: rows.filter((s) => s.worse.length > 0).length,
      charts: charts.names(),
      confusion: point ? { slice: point.slice, threshold: point.threshold, tp: point.tp, fp: point.fp, tn: point.tn, fn: point.fn } : null,
      checks: view.report.blessing.checks.length,
    },
  });
});

const charts = new DrawnCharts(reportRendered, logError);

let pendingDraws: (() => void)[] = [];

const page: Page = {
  get view() {
    return view!;
  },
  state: () => saved.state,
  save,
  charts,
  afterLayout: (draw) => pendingDraws.push(draw),
  exportImage: (name, format) =>
    charts
      .image(name, format)
      ?.then((data) => post({ type: 'exportChart', payload: { chart: name, format, data } }))
      .catch(logError),
  changed: reportRendered,
  rebuild: () => fillTab(),
};

const TAB_TITLE: Record<EvaluationTab, string> = { overview: 'Overview', slices: 'Slices', plots: 'Plots', fairness: 'Fairness', blessing: 'Blessing' };

function currentTab(): EvaluationTab {
  return saved.state.tab ?? 'overview';
}

function tabContent(v: EvaluationView, tab: EvaluationTab): HTMLElement {
  switch (tab) {
    case 'overview':
      return overviewTab(v);
    case 'slices':
      return slicesTab(page);
    case 'plots':
      return plotsTab(page);
    case 'fairness':
      return fairnessTab(page);
    case 'blessing':
      return blessingTab(v);
  }
}

let panels = new Map<EvaluationTab, HTMLElement>();

/** Builds the shown tab only (the others are emptied): its charts are drawn at their real width. */
function fillTab(): void {
  if (!view) return;
  charts.clear();
  pendingDraws = [];
  for (const [tab, panel] of panels) panel.replaceChildren(tab === currentTab() ? tabContent(view, tab) : '');
  const draws = pendingDraws;
  pendingDraws = [];
  // After layout: the panel is visible and sized once the tabs element has switched to it.
  requestAnimationFrame(() => draws.forEach((draw) => draw()));
  reportRendered();
}

function tabLabel(v: EvaluationView, tab: EvaluationTab): (HTMLElement | string)[] {
  const r = v.report;
  switch (tab) {
    case 'slices':
      return [`${TAB_TITLE[tab]} (${r.slices.length})`];
    case 'fairness':
      return [`${TAB_TITLE[tab]} (${r.fairness.length})`];
    case 'blessing':
      return [icon(r.blessing.blessed ? 'verified-filled' : 'error', r.blessing.blessed ? 'passed' : 'failed'), ` ${TAB_TITLE[tab]}`];
    default:
      return [TAB_TITLE[tab]];
  }
}

function show(v: EvaluationView): void {
  view = v;
  panels = new Map(EVALUATION_TABS.map((t) => [t, h('vscode-tab-panel', { testid: `panel-${t}` })]));
  const tabs = h(
    'vscode-tabs',
    {
      testid: 'tabs',
      props: { selectedIndex: EVALUATION_TABS.indexOf(currentTab()) },
      on: {
        'vsc-tabs-select': (e) => {
          const index = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
          const tab = EVALUATION_TABS[index];
          if (!tab || tab === currentTab()) return;
          save({ tab });
          fillTab();
        },
      },
    },
    EVALUATION_TABS.flatMap((t) => [h('vscode-tab-header', { testid: `tab-${t}`, attrs: { slot: 'header' } }, ...tabLabel(v, t)), panels.get(t)!]),
  );
  app.replaceChildren(header(v), tabs);
  fillTab();
}

function empty(message: string): void {
  view = undefined;
  charts.clear();
  app.replaceChildren(emptyState('evaluation-empty', message));
}

function handleMessage(message: ToWebviewMessage): void {
  if (message.type === 'view') show(message.payload);
  else empty(message.payload.message);
}

// Theme changes: the charts' colours come from VS Code's variables, so the tab is drawn again.
function themeChanged(): void {
  resetChartTheme();
  fillTab();
}

post({ type: 'ready', payload: { runId: saved.state.runId || null } });

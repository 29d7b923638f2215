// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '../common/vega.css';
import '../common/panel.css';
import './style.css';
import { isCompareSource, isCompareState, isToWebviewMessage } from '../../src/shared/compare';
import type { CompareSource, CompareState, CompareView, FromWebviewMessage, ToWebviewMessage } from '../../src/shared/compare';
import { emptyState, h, pageHeader } from '../common/dom';
import { afterBurst, startPage } from '../common/boot';
import { vscodeApi } from '../common/vscodeApi';
import { resetChartTheme } from '../common/vega';
import { CurveCharts } from './curves';
import { DrawnCharts } from '../common/drawn';
import { toolbar } from '../common/card';
import { objectiveOf, parallelSection, scatterSection, type SectionContext } from './sections';
import { RunsTable } from './table';

const vscode = vscodeApi<CompareState>();
const app = document.getElementById('app')!;

const { post, logError } = startPage<ToWebviewMessage, FromWebviewMessage>({ isMessage: isToWebviewMessage, onMessage: handleMessage, onTheme: themeChanged });

// The page's source comes from the extension; after a reload, from the saved state.
const saved = vscode.getState();
let pageSource: CompareSource | undefined;
try {
  const parsed: unknown = JSON.parse(document.body.dataset.source ?? 'null');
  if (isCompareSource(parsed)) pageSource = parsed;
} catch {
  pageSource = undefined;
}
let state: CompareState | undefined = isCompareState(saved) ? saved : pageSource ? { source: pageSource } : undefined;
if (state) vscode.setState(state);

function save(patch: Partial<CompareState>): void {
  if (!state) return;
  state = { ...state, ...patch };
  vscode.setState(state);
}

let view: CompareView | undefined;
let table: RunsTable | undefined;

const reportRendered = afterBurst(() => {
  if (!table) return;
  post({
    type: 'rendered',
    payload: {
      rows: table.renderedRows,
      paramColumns: table.paramColumns,
      best: table.bestCells,
      charts: charts.names(),
      order: table.runIds(),
      onlyDiffering: onlyDiffering(),
    },
  });
});

const charts = new DrawnCharts(reportRendered, logError);

function exportImage(name: string, format: 'svg' | 'png'): void {
  charts
    .image(name, format)
    ?.then((data) => post({ type: 'exportChart', payload: { chart: name, format, data } }))
    .catch(logError);
}

const curves = new CurveCharts(charts, (key) => post({ type: 'requestCurves', payload: { key } }), exportImage);

let pendingDraws: (() => void)[] = [];
const sections: SectionContext = {
  charts,
  state: () => state,
  save,
  afterLayout: (draw) => pendingDraws.push(draw),
  exportImage,
};

/** Only what differs, unless the user asked for everything: about 100 metrics are mostly constants. */
const onlyDiffering = () => state?.onlyDiffering ?? true;

function buildTable(v: CompareView): HTMLElement {
  table = new RunsTable(v, {
    onlyDiffering: onlyDiffering(),
    sort: state?.sort,
    pinned: state?.pinned ?? [],
    onPin: (column) => {
      const pinned = state?.pinned ?? [];
      save({ pinned: pinned.includes(column) ? pinned.filter((c) => c !== column) : [...pinned, column] });
      replaceTable();
    },
    onSort: (column) => {
      const current = state?.sort;
      save({ sort: { column, descending: current?.column === column ? !current.descending : false } });
      replaceTable();
    },
    openRun: (runId) => post({ type: 'openRun', payload: { runId } }),
  });
  return table.element;
}

function replaceTable(): void {
  if (!view || !table) return;
  table.element.replaceWith(buildTable(view));
  table.stickPinned();
  reportRendered();
}

function header(v: CompareView): HTMLElement {
  const differing = v.params.filter((p) => p.differs).length;
  const varying = v.metrics.filter((m) => m.differs).length;
  return pageHeader(
    { title: v.title, testid: 'compare-title' },
    h(
      'p',
      { class: 'subtitle', testid: 'compare-summary' },
      `${v.runs.length} run${v.runs.length === 1 ? '' : 's'} · ${v.params.length} parameters, ${differing} differ · ${v.metrics.length} metrics, ${varying} differ`,
    ),
  );
}

function show(v: CompareView): void {
  view = v;
  charts.clear();
  const parts: (HTMLElement | null)[] = [
    header(v),
    toolbar({
      onlyDiffering: onlyDiffering(),
      onOnlyDiffering: (on) => {
        save({ onlyDiffering: on });
        replaceTable();
      },
      exportCsv: () => table && post({ type: 'exportCsv', payload: { runIds: table.runIds(), onlyDiffering: onlyDiffering() } }),
    }),
    buildTable(v),
    h('div', { class: 'chart-grid' }, parallelSection(v, sections), scatterSection(v, sections)),
    curves.section(v, objectiveOf(v, state)?.key),
  ];
  app.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  table?.stickPinned();
  const draws = pendingDraws;
  pendingDraws = [];
  for (const draw of draws) draw();
  reportRendered();
}

function empty(message: string): void {
  view = undefined;
  table = undefined;
  charts.clear();
  app.replaceChildren(emptyState('compare-empty', message));
}

function handleMessage(message: ToWebviewMessage): void {
  switch (message.type) {
    case 'view':
      show(message.payload);
      break;
    case 'curves':
      curves.show(message.payload);
      break;
    case 'empty':
      empty(message.payload.message);
      break;
  }
}

// Theme changes: the charts' colours come from VS Code's variables, so the page is drawn again.
function themeChanged(): void {
  resetChartTheme();
  if (view) show(view);
}

post({ type: 'ready', payload: { source: state?.source ?? null } });

// Pinned columns stick at offsets measured from the drawn widths: measure again when they change.
window.addEventListener('resize', () => table?.stickPinned());

// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../common/vega.css';
import '../common/panel.css';
import './style.css';
import { isStatisticsState, isStatisticsView, isToWebviewMessage } from '../../src/shared/statistics';
import type { FeatureDetail, FromWebviewMessage, ToWebviewMessage, SortKey, StatisticsState, StatisticsView } from '../../src/shared/statistics';
import { formatCount } from '../../src/core/util/format';
import { emptyState, h, pageHeader } from '../common/dom';
import { RunPageState } from '../common/pageState';
import { afterBurst, startPage } from '../common/boot';
import { resetTheme } from './charts';
import { LazyCharts } from './lazy';
import { StatisticsTables } from './table';

const app = document.getElementById('app')!;

const { post, logError } = startPage<ToWebviewMessage, FromWebviewMessage>({ isMessage: isToWebviewMessage, onMessage: handleMessage, onTheme: themeChanged });

// A saved view from an older build may not match the contract any more: drop it, the extension resends.
const page = new RunPageState<StatisticsState>(isStatisticsState, (s) => (s.view && !isStatisticsView(s.view) ? { ...s, view: undefined } : s));

const save = (patch: Partial<StatisticsState>): void => page.save(patch);

let view: StatisticsView | undefined;
let tables: StatisticsTables | undefined;
const details = new Map<string, FeatureDetail>();
const detailKey = (feature: string) => `${view?.a}\u0000${view?.b}\u0000${feature}`;

const reportRendered = afterBurst(() => {
  if (!view || !tables) return;
  post({ type: 'rendered', payload: { rows: tables.visibleFeatures().length, charts: charts.rendered, a: view.a, b: view.b } });
}, 150);

const charts = new LazyCharts(reportRendered, logError);

const sort = () => page.state.sort ?? { key: 'name' as SortKey, descending: false };
const expanded = () => new Set(page.state.expanded ?? []);

function applyTable(): void {
  tables?.apply(sort(), page.state.filter ?? '', expanded());
  for (const f of expanded()) {
    const d = details.get(detailKey(f));
    if (d) tables?.showDetail(d);
  }
  reportRendered();
}

function toggle(feature: string, open?: boolean): void {
  const set = expanded();
  const next = open ?? !set.has(feature);
  if (next) set.add(feature);
  else set.delete(feature);
  save({ expanded: [...set] });
  applyTable();
  if (next && !details.has(detailKey(feature))) post({ type: 'detail', payload: { feature } });
}

function setSort(key: SortKey): void {
  const current = sort();
  // A new key starts with the interesting end: names A→Z, figures largest first.
  const descending = current.key === key ? !current.descending : key !== 'name';
  save({ sort: { key, descending } });
  applyTable();
}

async function exportChart(feature: string, format: 'svg' | 'png'): Promise<void> {
  const el = tables?.detailChart(feature);
  const result = el && charts.result(el);
  if (!result) return;
  const data = format === 'svg' ? await result.view.toSVG() : await result.view.toImageURL('png', 2);
  post({ type: 'exportChart', payload: { feature, format, data } });
}

function select(a: string, b: string | null): void {
  if (b === a) b = null;
  save({ a, b });
  app.querySelector('.tables')?.classList.add('busy');
  post({ type: 'select', payload: { a, b } });
}

function option(value: string, label: string, selected: boolean, description?: string): HTMLElement {
  return h('vscode-option', { attrs: { value, selected, description } }, label);
}

function datasetSelect(v: StatisticsView, which: 'a' | 'b'): HTMLElement {
  const current = which === 'a' ? v.a : v.b;
  return h(
    'vscode-single-select',
    {
      testid: `select-${which}`,
      attrs: { 'aria-label': `Dataset ${which.toUpperCase()}` },
      class: `dataset-select select-${which}`,
      on: {
        change: (e) => {
          const value = (e.target as HTMLElement & { value: string }).value;
          if (which === 'a') select(value, v.b);
          else select(v.a, value === '' ? null : value);
        },
      },
    },
    which === 'b' ? option('', '(none)', current === null) : null,
    v.datasets.map((d) => option(d.name, d.name, d.name === current, `${d.numExamples.toLocaleString('en-US')} examples`)),
  );
}

function toolbar(v: StatisticsView): HTMLElement {
  const currentPair = v.pairs.findIndex((p) => p.a === v.a && p.b === v.b);
  const filter = h('vscode-textfield', {
    testid: 'filter',
    class: 'filter',
    attrs: { placeholder: 'Filter features', 'aria-label': 'Filter features by name or type' },
    props: { value: page.state.filter ?? '' },
    on: {
      input: (e) => {
        save({ filter: (e.target as HTMLElement & { value: string }).value });
        applyTable();
      },
    },
  });
  filter.append(h('vscode-icon', { attrs: { slot: 'content-before', name: 'search' } }));
  return h(
    'div',
    { class: 'toolbar' },
    v.pairs.length
      ? h(
          'label',
          { class: 'field' },
          h('span', null, 'Compare'),
          h(
            'vscode-single-select',
            {
              testid: 'select-pair',
              class: 'pair-select',
              on: {
                change: (e) => {
                  const i = Number((e.target as HTMLElement & { value: string }).value);
                  if (v.pairs[i]) select(v.pairs[i].a, v.pairs[i].b);
                },
              },
            },
            currentPair < 0 ? option('-1', 'Custom', true) : null,
            v.pairs.map((p, i) => option(String(i), p.label, i === currentPair)),
          ),
        )
      : null,
    h('label', { class: 'field' }, legendSwatch('a'), h('span', null, 'A'), datasetSelect(v, 'a')),
    h('vscode-button', {
      attrs: { secondary: true, icon: 'arrow-swap', disabled: v.b === null },
      title: 'Swap A and B',
      on: { click: () => v.b !== null && select(v.b, v.a) },
    }),
    h('label', { class: 'field' }, legendSwatch('b'), h('span', null, 'B'), datasetSelect(v, 'b')),
    h('span', { class: 'spacer' }),
    filter,
    h(
      'vscode-button',
      {
        testid: 'copy-csv',
        attrs: { secondary: true, icon: 'copy' },
        title: 'Copy the table (as filtered and sorted) as CSV',
        on: { click: () => post({ type: 'copyCsv', payload: { features: tables?.visibleFeatures() ?? [] } }) },
      },
      'Copy CSV',
    ),
  );
}

function legendSwatch(which: 'a' | 'b'): HTMLElement {
  return h('span', { class: `swatch swatch-${which}`, attrs: { 'aria-hidden': 'true' } });
}

function header(v: StatisticsView): HTMLElement {
  const count = (name: string | null) => v.datasets.find((d) => d.name === name)?.numExamples;
  const n = v.numeric.length + v.categorical.length;
  return pageHeader(
    { title: 'Data statistics', testid: 'stats-title' },
    h(
      'p',
      { class: 'subtitle', testid: 'stats-subtitle' },
      `Run #${v.runId} · ${v.pipeline} · `,
      h('code', null, v.artifactPath),
      ` · ${n} feature${n === 1 ? '' : 's'} · `,
      h('span', { class: 'legend-item' }, legendSwatch('a'), `${v.a} (${formatCount(count(v.a) ?? 0)} examples)`),
      v.b === null ? null : h('span', { class: 'legend-item' }, ' vs ', legendSwatch('b'), `${v.b} (${formatCount(count(v.b) ?? 0)} examples)`),
    ),
  );
}

/** Sticky table headers sit below the sticky toolbar, whose height changes as it wraps. */
const toolbarHeight = new ResizeObserver((entries) => {
  for (const e of entries) document.documentElement.style.setProperty('--toolbar-height', `${(e.target as HTMLElement).offsetHeight}px`);
});

function show(v: StatisticsView): void {
  const sameData = view && view.a === v.a && view.b === v.b && view.runId === v.runId;
  if (!sameData) details.clear();
  view = v;
  charts.clear();
  tables = new StatisticsTables(v, charts, {
    toggle: (f) => toggle(f),
    sort: setSort,
    exportChart: (f, fmt) => void exportChart(f, fmt).catch(logError),
    chartMode: () => page.state.chart ?? { view: 'standard', log: false },
    setChartMode: (chart) => save({ chart }),
  });
  const n = v.numeric.length + v.categorical.length;
  app.replaceChildren(header(v), toolbar(v), n ? tables.element : h('p', { class: 'empty' }, `Dataset ${v.a} has no features.`));
  toolbarHeight.disconnect();
  const bar = app.querySelector('.toolbar');
  if (bar) toolbarHeight.observe(bar);
  applyTable();
  if (v.focus) {
    save({ filter: page.state.filter && !v.focus.toLowerCase().includes(page.state.filter.toLowerCase()) ? '' : page.state.filter });
    toggle(v.focus, true);
    tables.reveal(v.focus);
  } else {
    for (const f of expanded()) if (!details.has(detailKey(f))) post({ type: 'detail', payload: { feature: f } });
  }
}

function notFound(message: string): void {
  view = undefined;
  tables = undefined;
  charts.clear();
  app.replaceChildren(emptyState('stats-not-found', message));
}

function handleMessage(message: ToWebviewMessage): void {
  switch (message.type) {
    case 'view': {
      const { focus: _focus, ...rest } = message.payload;
      save({ view: rest, a: rest.a, b: rest.b });
      show(message.payload);
      break;
    }
    case 'detail':
      if (!view) return;
      details.set(`${message.payload.a}\u0000${message.payload.b}\u0000${message.payload.feature}`, message.payload);
      tables?.showDetail(message.payload);
      break;
    case 'notFound':
      save({ view: undefined });
      notFound(message.payload.message);
      break;
  }
}

// Theme changes: VS Code swaps the body's class and the page's CSS variables; charts take their
// colours from those variables, so they are drawn again.
function themeChanged(): void {
  resetTheme();
  charts.redraw();
}

if (page.state.view) {
  try {
    show(page.state.view);
  } catch (e) {
    logError(e);
  }
}
post({ type: 'ready', payload: { runId: page.state.runId || null, a: page.state.a ?? null, b: page.state.b ?? null } });

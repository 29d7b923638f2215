import type { CategoricalRow, ChartMode, CategoricalSide, FeatureDetail, NumericRow, NumericSide, SortKey, StatisticsView } from '../../src/shared/statistics';
import { h, icon } from '../common/dom';
import { renderChart, renderQuantiles } from './charts';
import { compareRows, distance, num, pct } from './format';
import type { LazyCharts } from './lazy';

export interface TableActions {
  toggle(feature: string): void;
  sort(key: SortKey): void;
  exportChart(feature: string, format: 'svg' | 'png'): void;
  /** How numeric details are drawn now, and a change of it (kept in the page state). */
  chartMode(): ChartMode;
  setChartMode(mode: ChartMode): void;
}

type Kind = 'numeric' | 'categorical';
type Row = NumericRow | CategoricalRow;

interface Column {
  title: string;
  sort?: SortKey;
  class?: string;
  cell: (row: Row) => Node | string;
}

/** A cell with A's figure over B's (each marked with its dataset's colour), or A's alone. */
function pair(view: StatisticsView, row: Row, figure: (side: NumericSide & CategoricalSide) => string): HTMLElement {
  const one = (side: Row['a'], cls: string) => h('span', { class: cls }, side ? figure(side as NumericSide & CategoricalSide) : '–');
  return h('div', { class: 'pair' }, one(row.a, 'va'), view.b === null ? null : one(row.b, 'vb'));
}

function columns(view: StatisticsView, kind: Kind): Column[] {
  const p = (f: (s: NumericSide & CategoricalSide) => string) => (r: Row) => pair(view, r, f);
  const missing = (s: NumericSide & CategoricalSide) => pct(s.missing);
  const common: Column[] = [
    { title: 'Count', class: 'num', cell: p((s) => num(s.count)) },
    { title: 'Missing', sort: 'missing', class: 'num', cell: p(missing) },
  ];
  const specific: Column[] =
    kind === 'numeric'
      ? [
          { title: 'Mean', class: 'num', cell: p((s) => num(s.mean)) },
          { title: 'Std dev', class: 'num', cell: p((s) => num(s.stdDev)) },
          { title: 'Zeros', sort: 'zeros', class: 'num', cell: p((s) => pct(s.zeros)) },
          { title: 'Min', class: 'num', cell: p((s) => num(s.min)) },
          { title: 'Median', class: 'num', cell: p((s) => num(s.median)) },
          { title: 'Max', class: 'num', cell: p((s) => num(s.max)) },
        ]
      : [
          { title: 'Unique', sort: 'unique', class: 'num', cell: p((s) => `${s.uniqueExact ? '' : '≈'}${num(s.unique)}`) },
          { title: 'Top value', class: 'text', cell: p((s) => s.topValue ?? '–') },
          { title: 'Top freq', class: 'num', cell: p((s) => pct(s.topFreq)) },
          { title: 'Avg length', class: 'num', cell: p((s) => num(Number(s.avgLength.toFixed(1)))) },
        ];
  const distanceColumn: Column = { title: kind === 'numeric' ? 'JSD' : 'L∞', sort: 'distance', class: 'num', cell: (r) => distanceCell(r, kind) };
  const figures = [...common, ...specific, { title: 'Distribution', class: 'chart-col', cell: () => h('div', { class: `chart chart-inline chart-${kind}` }) }];
  // Comparing two datasets, the distance is the key figure: beside the name, never off-screen.
  return view.b === null ? [...figures, distanceColumn] : [distanceColumn, ...figures];
}

function distanceCell(r: Row, kind: Kind): HTMLElement {
  if (r.distance === null) return h('span', { class: 'muted' }, '–');
  const meter = h('span', { class: 'meter', attrs: { 'aria-hidden': 'true' } }, h('span', { class: 'meter-fill' }));
  (meter.firstChild as HTMLElement).style.width = `${Math.min(r.distance, 1) * 100}%`;
  const title =
    kind === 'numeric'
      ? 'Jensen-Shannon divergence (log base 2) of the histograms on a common range'
      : `L-infinity distance of the value frequencies${r.distanceAt !== undefined ? `; largest at "${r.distanceAt}"` : ''}`;
  return h('span', { class: 'distance', title }, distance(r.distance), meter);
}

/**
 * The two tables of one view message. Row elements are built once; sorting and filtering reorder
 * and hide them, so charts already drawn are kept.
 */
export class StatisticsTables {
  readonly element: HTMLElement;
  private readonly rows = new Map<string, { kind: Kind; data: Row; tr: HTMLElement; detail?: HTMLElement; shown?: FeatureDetail }>();
  private readonly bodies: Record<Kind, HTMLElement>;
  private readonly counts: Record<Kind, HTMLElement>;
  private readonly headers: HTMLElement[] = [];
  private shown: string[] = [];

  constructor(
    private readonly view: StatisticsView,
    private readonly charts: LazyCharts,
    private readonly actions: TableActions,
  ) {
    this.bodies = { numeric: h('tbody', null), categorical: h('tbody', null) };
    this.counts = { numeric: h('span', { class: 'count' }), categorical: h('span', { class: 'count' }) };
    this.element = h(
      'div',
      { class: 'tables' },
      this.section('numeric', 'Numeric features', view.numeric),
      this.section('categorical', 'Categorical features', view.categorical),
    );
  }

  /** Feature names in table order, as shown (for CSV). */
  visibleFeatures(): string[] {
    return this.shown;
  }

  apply(sort: { key: SortKey; descending: boolean }, filter: string, expanded: ReadonlySet<string>): void {
    const needle = filter.trim().toLowerCase();
    const match = (r: Row) => !needle || r.name.toLowerCase().includes(needle) || r.type === needle;
    this.shown = [];
    for (const kind of ['numeric', 'categorical'] as const) {
      const data = (kind === 'numeric' ? this.view.numeric : this.view.categorical) as Row[];
      const sorted = [...data].sort(compareRows(sort.key, sort.descending));
      const nodes: HTMLElement[] = [];
      let visible = 0;
      for (const r of sorted) {
        const entry = this.rows.get(r.name)!;
        const show = match(r);
        entry.tr.hidden = !show;
        nodes.push(entry.tr);
        if (show) {
          visible++;
          this.shown.push(r.name);
        }
        const open = show && expanded.has(r.name);
        entry.tr.classList.toggle('expanded', open);
        entry.tr.setAttribute('aria-expanded', String(open));
        if (open) {
          entry.detail ??= this.detailRow(entry.kind, r.name);
          nodes.push(entry.detail);
        } else if (entry.detail) {
          entry.detail.remove();
          entry.detail = undefined;
        }
      }
      this.bodies[kind].replaceChildren(...nodes);
      this.counts[kind].textContent = visible === data.length ? String(data.length) : `${visible} of ${data.length}`;
    }
    for (const th of this.headers) {
      const active = th.dataset.sort === sort.key;
      th.classList.toggle('sorted', active);
      th.setAttribute('aria-sort', active ? (sort.descending ? 'descending' : 'ascending') : 'none');
      const arrow = th.querySelector('.sort-arrow');
      if (arrow) arrow.className = `sort-arrow codicon codicon-${active ? (sort.descending ? 'arrow-down' : 'arrow-up') : 'blank'}`;
    }
  }

  /** Fills an expanded row with the detail the extension sent. */
  showDetail(d: FeatureDetail): void {
    const entry = this.rows.get(d.feature);
    if (!entry?.detail || d.a !== this.view.a || d.b !== this.view.b) return;
    entry.shown = d;
    const labels = { a: this.view.a, b: this.view.b };
    const body = entry.detail.querySelector('.detail-body')!;
    const mode = this.actions.chartMode();
    const quantiles = d.kind === 'numeric' && mode.view === 'quantiles' && d.quantiles ? d.quantiles : undefined;
    const log = d.kind === 'numeric' && !quantiles && mode.log;
    const chart = h('div', {
      class: 'chart chart-detail',
      testid: 'detail-chart',
      attrs: { 'data-view': quantiles ? 'quantiles' : 'standard', 'data-log': String(log) },
    });
    const title =
      d.kind === 'categorical'
        ? 'Most frequent values (share of present values)'
        : quantiles
          ? 'Quantiles (equal-count bucket boundaries)'
          : 'Histogram (share of values per bin, the same bins for both datasets)';
    body.replaceChildren(
      h(
        'div',
        { class: 'detail-toolbar' },
        h('span', { class: 'detail-title' }, title),
        d.kind === 'numeric' ? this.modeControls(mode) : null,
        h(
          'vscode-button',
          {
            attrs: { secondary: true, icon: 'export' },
            title: 'Save this chart as SVG',
            testid: 'export-svg',
            on: { click: () => this.actions.exportChart(d.feature, 'svg') },
          },
          'SVG',
        ),
        h(
          'vscode-button',
          { attrs: { secondary: true, icon: 'file-media' }, title: 'Save this chart as PNG', on: { click: () => this.actions.exportChart(d.feature, 'png') } },
          'PNG',
        ),
      ),
      chart,
      d.kind === 'numeric' ? quantilesTable(d, labels) : topValuesTable(d, labels),
    );
    void this.charts.renderNow(chart, () =>
      quantiles ? renderQuantiles(chart, quantiles, labels) : renderChart(chart, d.kind, 'detail', d.chart, labels, log),
    );
  }

  /** Facets' chart choices, one setting for every expanded feature: standard or quantiles, linear or log. */
  private modeControls(mode: ChartMode): HTMLElement {
    const change = (next: ChartMode) => {
      this.actions.setChartMode(next);
      for (const entry of this.rows.values()) if (entry.shown && entry.kind === 'numeric') this.showDetail(entry.shown);
    };
    const view = (value: ChartMode['view'], label: string, title: string) =>
      h(
        'vscode-button',
        {
          testid: `chart-${value}`,
          title,
          attrs: { secondary: mode.view !== value, 'aria-pressed': String(mode.view === value) },
          on: { click: () => mode.view !== value && change({ ...mode, view: value }) },
        },
        label,
      );
    return h(
      'span',
      { class: 'chart-mode', attrs: { role: 'group', 'aria-label': 'Chart' } },
      view('standard', 'Standard', 'A histogram: the share of values per bin, the same bins for both datasets'),
      view('quantiles', 'Quantiles', 'The equal-count bucket boundaries of each dataset, decile by decile'),
      h(
        'vscode-checkbox',
        {
          testid: 'chart-log',
          title: 'A logarithmic share axis, so the small bins of a long tail show',
          attrs: { checked: mode.log, disabled: mode.view === 'quantiles' },
          on: { change: (e) => change({ ...mode, log: (e.target as HTMLElement & { checked: boolean }).checked }) },
        },
        'Log',
      ),
    );
  }

  /** The detail chart of an expanded row, for export. */
  detailChart(feature: string): Element | undefined {
    return this.rows.get(feature)?.detail?.querySelector('.chart-detail') ?? undefined;
  }

  /** Scrolls a feature's row into view. */
  reveal(feature: string): void {
    this.rows.get(feature)?.tr.scrollIntoView({ block: 'center' });
  }

  private section(kind: Kind, title: string, data: Row[]): HTMLElement {
    if (!data.length) return h('div', null);
    const cols = columns(this.view, kind);
    const nameHeader = this.header('Feature', 'name', 'name-col stuck');
    const head = h(
      'thead',
      null,
      h(
        'tr',
        null,
        nameHeader,
        cols.map((c) => this.header(c.title, c.sort, c.class)),
      ),
    );
    for (const r of data) {
      const chartCell = h('td', { class: 'chart-col' });
      const tr = h(
        'tr',
        { class: 'feature-row', testid: `feature-${r.name}`, attrs: { 'data-feature': r.name, tabindex: '0', 'aria-expanded': 'false' } },
        h(
          'td',
          { class: 'name-col stuck', title: `${r.name} (${r.type}) — click to expand` },
          icon('chevron-right', 'chevron'),
          h('span', { class: 'feature-name' }, r.name),
          h('span', { class: `type type-${r.type}` }, r.type),
        ),
        cols.map((c) => {
          if (c.class === 'chart-col') return chartCell;
          return h('td', { class: c.class }, c.cell(r));
        }),
      );
      const chart = cols.find((c) => c.class === 'chart-col')!.cell(r) as HTMLElement;
      chartCell.append(chart);
      this.charts.observe(chart, () => renderChart(chart, kind, 'inline', r.chart, { a: this.view.a, b: this.view.b }));
      tr.addEventListener('click', (e) => {
        if ((e.target as HTMLElement).closest('.chart')) return; // let the tooltip be
        this.actions.toggle(r.name);
      });
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          this.actions.toggle(r.name);
        }
      });
      this.rows.set(r.name, { kind, data: r, tr });
    }
    return h(
      'section',
      { class: 'feature-section', testid: `section-${kind}` },
      h('h2', null, title, ' ', this.counts[kind]),
      h('div', { class: 'table-wrap' }, h('table', { class: `features features-${kind}` }, head, this.bodies[kind])),
    );
  }

  private header(title: string, sort: SortKey | undefined, cls?: string): HTMLElement {
    if (!sort) return h('th', { class: cls }, title);
    const th = h(
      'th',
      { class: `${cls ?? ''} sortable`, title: `Sort by ${title.toLowerCase()}`, attrs: { 'data-sort': sort, tabindex: '0', role: 'columnheader' } },
      title,
      h('span', { class: 'sort-arrow codicon codicon-blank', attrs: { 'aria-hidden': 'true' } }),
    );
    th.addEventListener('click', () => this.actions.sort(sort));
    th.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        this.actions.sort(sort);
      }
    });
    this.headers.push(th);
    return th;
  }

  private detailRow(kind: Kind, feature: string): HTMLElement {
    const span = columns(this.view, kind).length + 1;
    return h(
      'tr',
      { class: 'detail-row', testid: `detail-${feature}` },
      h('td', { attrs: { colspan: String(span) } }, h('div', { class: 'detail-body' }, h('p', { class: 'loading' }, 'Loading…'))),
    );
  }
}

function legendMark(which: 'a' | 'b'): HTMLElement {
  return h('span', { class: `swatch swatch-${which}`, attrs: { 'aria-hidden': 'true' } });
}

function quantilesTable(d: FeatureDetail, labels: { a: string; b: string | null }): HTMLElement {
  const q = d.quantiles;
  const n = Math.max(q?.a.length ?? 0, q?.b?.length ?? 0);
  if (!q || n === 0) return h('p', { class: 'muted' }, 'No quantiles recorded.');
  const heads = Array.from({ length: n }, (_, i) => `${Math.round((i / (n - 1)) * 100)}%`);
  const line = (which: 'a' | 'b', name: string, values: number[] | undefined) =>
    h(
      'tr',
      null,
      h('th', { class: 'text' }, legendMark(which), name),
      heads.map((_, i) => h('td', { class: 'num' }, num(values?.[i]))),
    );
  return h(
    'div',
    { class: 'detail-table' },
    h('h3', null, 'Quantiles (equal-count bucket boundaries)'),
    h(
      'table',
      { class: 'small', testid: 'quantiles' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, ''),
          heads.map((t) => h('th', { class: 'num' }, t)),
        ),
      ),
      h('tbody', null, line('a', labels.a, q.a), labels.b === null ? null : line('b', labels.b, q.b)),
    ),
  );
}

function topValuesTable(d: FeatureDetail, labels: { a: string; b: string | null }): HTMLElement {
  const top = d.top;
  if (!top) return h('p', { class: 'muted' }, 'No top values recorded.');
  const n = Math.max(top.a.length, top.b?.length ?? 0);
  const cells = (list: { value: string; count: number }[] | undefined, i: number) => {
    const t = list?.[i];
    return [h('td', { class: 'text value-cell' }, t ? t.value : ''), h('td', { class: 'num' }, t ? num(t.count) : '')];
  };
  return h(
    'div',
    { class: 'detail-table' },
    h('h3', null, `Top ${n} values`),
    h(
      'table',
      { class: 'small', testid: 'top-values' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { class: 'num' }, '#'),
          h('th', { class: 'text' }, legendMark('a'), labels.a),
          h('th', { class: 'num' }, 'count'),
          labels.b === null ? null : [h('th', { class: 'text' }, legendMark('b'), labels.b), h('th', { class: 'num' }, 'count')],
        ),
      ),
      h(
        'tbody',
        null,
        Array.from({ length: n }, (_, i) =>
          h('tr', null, h('td', { class: 'num muted' }, String(i + 1)), cells(top.a, i), labels.b === null ? null : cells(top.b, i)),
        ),
      ),
    ),
  );
}

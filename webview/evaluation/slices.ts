import type { SliceResult, SliceSort } from '../../src/shared/evaluation';
import { orderedSlices, SLICE_COUNT, SLICE_FLAGGED, SLICE_NAME } from '../../src/shared/evaluationView';
import { card, select } from '../common/card';
import { h, icon } from '../common/dom';
import { changeMark, intervalText, metricValue, note, type Page } from './page';
import { MAX_BARS, slicesSpec } from './specs';
import { formatCount } from '../../src/core/util/format';

/** The table's metric columns: every slice metric but the count, which has its own column. */
function metricColumns(page: Page): string[] {
  return page.view.metrics.filter((k) => k !== 'example_count');
}

/** The rows the table shows now (sorted, filtered by the minimum count). */
export function shownSlices(page: Page): SliceResult[] {
  const s = page.state();
  return orderedSlices(page.view.report.slices, s.sort, s.minCount ?? 0);
}

/** The slice table and the slices overview chart, kept in step with the sort and the filter. */
export function slicesTab(page: Page): HTMLElement {
  const { report } = page.view;
  if (!report.slices.length)
    return note('no-slices', 'Only Overall was evaluated. Add `evaluate.slices` (e.g. `[[payment_type]]`) to see the metrics per slice.');
  const tableSlot = h('div', { class: 'table-wrap' });
  const chartEl = h('div', { class: 'chart', testid: 'slices-chart' });
  const chartNote = h('p', { class: 'subtitle chart-note' });
  const metrics = metricColumns(page);
  const chartMetric = () => {
    const chosen = page.state().chartMetric;
    return chosen && metrics.includes(chosen) ? chosen : metrics[0];
  };
  const redrawChart = () => {
    const metric = chartMetric();
    if (!metric) return;
    const rows = shownSlices(page);
    const chart = slicesSpec(rows, report.overall, metric);
    chartNote.textContent = rows.length > MAX_BARS ? `The first ${MAX_BARS} of ${rows.length} slices, in the table's order.` : '';
    void page.charts.draw('slices', chartEl, chart.spec, chart.data);
  };
  const redrawTable = () => {
    tableSlot.replaceChildren(
      sliceTable(page, metrics, (column) => {
        const current = page.state().sort;
        page.save({ sort: { column, descending: current?.column === column ? !current.descending : column !== SLICE_NAME } });
        redrawTable();
        redrawChart();
      }),
    );
    page.changed();
  };
  const minCount = h('vscode-textfield', {
    testid: 'min-count',
    class: 'min-count',
    attrs: { type: 'number', min: '0', placeholder: '0', 'aria-label': 'Minimum rows per slice' },
    props: { value: page.state().minCount ? String(page.state().minCount) : '' },
    on: {
      input: (e) => {
        const n = Number((e.target as HTMLElement & { value: string }).value);
        page.save({ minCount: Number.isInteger(n) && n > 0 ? n : 0 });
        redrawTable();
        redrawChart();
      },
    },
  });
  const toolbar = h(
    'div',
    { class: 'toolbar' },
    h('label', { class: 'field', title: 'Hide slices with fewer rows' }, h('span', null, 'Minimum rows'), minCount),
    h(
      'span',
      { class: 'legend' },
      icon('warning', 'worse'),
      ` significantly worse than Overall (its ${report.bootstrap ? 'interval' : 'value'} lies on the bad side)`,
    ),
  );
  redrawTable();
  page.afterLayout(redrawChart);
  const chooser = select(
    'chart-metric',
    'Metric',
    metrics.map((m) => ({ value: m, label: m })),
    chartMetric() ?? '',
    (metric) => {
      page.save({ chartMetric: metric });
      redrawChart();
    },
  );
  return h(
    'section',
    null,
    toolbar,
    tableSlot,
    h(
      'div',
      { class: 'chart-grid single' },
      card('Slices overview', 'slices', h('div', null, chartEl, chartNote), (f) => page.exportImage('slices', f), chooser),
    ),
  );
}

function sortHeader(label: string, column: string, sort: SliceSort | undefined, onSort: (column: string) => void, title?: string): HTMLElement {
  const sorted = sort?.column === column;
  return h(
    'th',
    { class: sorted ? 'sorted' : '', title, attrs: { scope: 'col', 'aria-sort': sorted ? (sort.descending ? 'descending' : 'ascending') : undefined } },
    h(
      'button',
      { class: 'sort', testid: `sort-${column}`, on: { click: () => onSort(column) } },
      label,
      sorted ? icon(sort.descending ? 'arrow-down' : 'arrow-up') : null,
    ),
  );
}

function sliceTable(page: Page, metrics: string[], onSort: (column: string) => void): HTMLElement {
  const { report, directions } = page.view;
  const sort = page.state().sort;
  const rows = shownSlices(page);
  const row = (s: SliceResult, overall: boolean) =>
    h(
      'tr',
      {
        class: `${overall ? 'overall' : ''}${s.worse.length ? ' flagged' : ''}${s.belowMinSize ? ' below-min' : ''}`,
        testid: `slice-row-${s.name}`,
        attrs: { 'data-flagged': s.worse.length ? 'true' : undefined },
      },
      h(
        'th',
        { class: 'col-name', attrs: { scope: 'row' }, title: s.worse.length ? `Significantly worse than Overall on ${s.worse.join(', ')}` : s.name },
        s.worse.length ? icon('warning', 'worse') : null,
        s.name,
      ),
      h('td', { class: 'num' }, formatCount(s.count)),
      h('td', { class: 'num' }, s.worse.length ? h('span', { class: 'worse' }, String(s.worse.length)) : ''),
      metrics.map((k) => {
        if (s.belowMinSize) return h('td', { class: 'num muted', title: `Fewer than ${report.minSliceSize} rows: no metrics (minimum slice size)` }, '–');
        const interval = intervalText(s.intervals?.[k]);
        const worse = s.worse.includes(k);
        return h(
          'td',
          {
            class: `num${worse ? ' worse' : ''}`,
            title: [worse ? 'significantly worse than Overall' : '', interval ? `interval ${interval}` : ''].filter(Boolean).join('; '),
          },
          metricValue(s.metrics[k]),
          changeMark(s.metrics[k], s.baseline?.[k], directions[k] ?? 'neutral'),
          interval ? h('div', { class: 'interval' }, interval) : null,
        );
      }),
    );
  return h(
    'table',
    { class: 'data slices', testid: 'slice-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        sortHeader('Slice', SLICE_NAME, sort, onSort),
        sortHeader('Rows', SLICE_COUNT, sort, onSort),
        sortHeader('Flags', SLICE_FLAGGED, sort, onSort, 'Metrics on which the slice is significantly worse than Overall'),
        metrics.map((k) =>
          sortHeader(
            k,
            k,
            sort,
            onSort,
            `${k}: ${directions[k] === 'lower' ? 'lower' : directions[k] === 'higher' ? 'higher' : directions[k] === 'one' ? 'closer to 1' : 'no side'} is better`,
          ),
        ),
      ),
    ),
    h(
      'tbody',
      null,
      row(report.overall, true),
      rows.map((s) => row(s, false)),
    ),
  );
}

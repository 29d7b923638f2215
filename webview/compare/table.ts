import type { CompareRunRow, CompareView, SortOrder } from '../../src/shared/compare';
import { formatMetric } from '../../src/core/util/format';
import { h, icon } from '../common/dom';

/** Rows drawn at a time: a plain table stays responsive at this size; more come with a click. */
export const PAGE_ROWS = 200;

type Column =
  | { kind: 'run' | 'status'; key: string; label: string }
  | { kind: 'param'; key: string; label: string; numeric: boolean }
  | { kind: 'metric'; key: string; label: string };

export interface TableOptions {
  onlyDiffering: boolean;
  sort: SortOrder | undefined;
  /** Column keys pinned beside the run, in pin order. */
  pinned: readonly string[];
  onSort(column: string): void;
  onPin(column: string): void;
  openRun(runId: number): void;
}

function columnsOf(v: CompareView, onlyDiffering: boolean, pinned: readonly string[] = []): Column[] {
  const data: Column[] = [
    ...v.params
      .filter((p) => !onlyDiffering || p.differs || pinned.includes(p.key))
      .map((p) => ({ kind: 'param' as const, key: p.key, label: p.key, numeric: p.kind === 'numeric' })),
    ...v.metrics.filter((m) => !onlyDiffering || m.differs || pinned.includes(m.key)).map((m) => ({ kind: 'metric' as const, key: m.key, label: m.key })),
  ];
  const pins = pinned.flatMap((k) => data.filter((c) => c.key === k));
  return [{ kind: 'run', key: ':run', label: 'Run' }, ...pins, { kind: 'status', key: ':status', label: 'Status' }, ...data.filter((c) => !pins.includes(c))];
}

function sortValue(r: CompareRunRow, c: Column): string | number | null {
  switch (c.kind) {
    case 'run':
      return r.id;
    case 'status':
      return r.status;
    case 'param': {
      const v = r.params[c.key];
      return v === undefined ? null : c.numeric ? Number(v) : v;
    }
    case 'metric':
      return r.metrics[c.key] ?? null;
  }
}

/** Rows in display order: sorted by the chosen column (absent values last), else oldest run first. */
export function orderedRuns(v: CompareView, o: Pick<TableOptions, 'sort'>): CompareRunRow[] {
  const column = o.sort && columnsOf(v, false).find((c) => c.key === o.sort!.column);
  if (!column) return v.runs;
  const sign = o.sort!.descending ? -1 : 1;
  return [...v.runs].sort((a, b) => {
    const x = sortValue(a, column);
    const y = sortValue(b, column);
    if (x === null || y === null) return x === y ? a.id - b.id : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en', { numeric: true });
    return c * sign || a.id - b.id;
  });
}

/**
 * The comparison table: one row per run, the params (all, or only those that differ) and final
 * metrics side by side, the best value per metric marked. Headers stick while the page scrolls.
 */
export class RunsTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody', null);
  private readonly columns: Column[];
  private readonly rows: CompareRunRow[];
  private readonly best: Map<string, Set<number>>;
  private shown = 0;
  private readonly more: HTMLElement;

  constructor(
    private readonly view: CompareView,
    private readonly o: TableOptions,
  ) {
    this.columns = columnsOf(view, o.onlyDiffering, o.pinned);
    this.rows = orderedRuns(view, o);
    this.best = new Map(view.metrics.map((m) => [m.key, new Set(m.bestRuns)]));
    this.more = h('vscode-button', { testid: 'more-rows', attrs: { secondary: true }, on: { click: () => this.showMore() } });
    this.element = h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data runs', testid: 'compare-table' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            this.columns.map((c) => this.headerCell(c)),
          ),
        ),
        this.body,
      ),
      this.more,
    );
    this.showMore();
  }

  /**
   * Sticks the run column and the pinned ones to the left, each after the ones before it. Called once
   * the table is laid out: the offsets are the columns' drawn widths.
   */
  stickPinned(): void {
    const count = 1 + this.o.pinned.filter((k) => this.columns.some((c) => c.key === k)).length;
    const header = this.element.querySelector('thead tr');
    if (!header) return;
    const cells = [...header.children].slice(0, count) as HTMLElement[];
    let left = 0;
    const offsets = cells.map((cell) => {
      const at = left;
      left += cell.getBoundingClientRect().width;
      return at;
    });
    for (const tr of this.element.querySelectorAll('tr')) {
      [...tr.children].slice(0, count).forEach((cell, i) => {
        const el = cell as HTMLElement;
        el.classList.add('stuck');
        el.classList.toggle('stuck-last', i === count - 1);
        el.style.left = `${offsets[i]}px`;
      });
    }
  }

  get renderedRows(): number {
    return this.shown;
  }

  get paramColumns(): number {
    return this.columns.filter((c) => c.kind === 'param').length;
  }

  /** Best-value cells drawn. */
  get bestCells(): number {
    return this.body.querySelectorAll('td.best').length;
  }

  /** Run ids in display order (all pages), for the CSV. */
  runIds(): number[] {
    return this.rows.map((r) => r.id);
  }

  private showMore(): void {
    const next = this.rows.slice(this.shown, this.shown + PAGE_ROWS);
    this.body.append(...next.map((r) => this.row(r)));
    this.shown += next.length;
    const left = this.rows.length - this.shown;
    this.more.hidden = left <= 0;
    this.more.textContent = `Show ${Math.min(left, PAGE_ROWS)} more of ${left}`;
    if (this.element?.isConnected) this.stickPinned();
  }

  private headerCell(c: Column): HTMLElement {
    const sorted = this.o.sort?.column === c.key;
    const direction = c.kind === 'metric' ? this.view.metrics.find((m) => m.key === c.key)?.direction : undefined;
    return h(
      'th',
      {
        class: `col-${c.kind}${c.kind === 'run' ? ' stuck' : ''}${sorted ? ' sorted' : ''}`,
        title: direction ? `${c.label}: final value; ${direction === 'min' ? 'lower' : 'higher'} is better` : c.label,
        attrs: { 'aria-sort': sorted ? (this.o.sort!.descending ? 'descending' : 'ascending') : undefined, scope: 'col' },
      },
      h(
        'button',
        { class: 'sort', on: { click: () => this.o.onSort(c.key) } },
        c.label,
        sorted ? icon(this.o.sort!.descending ? 'arrow-down' : 'arrow-up') : null,
      ),
      c.kind === 'param' || c.kind === 'metric' ? this.pinButton(c.key) : null,
    );
  }

  private pinButton(key: string): HTMLElement {
    const pinned = this.o.pinned.includes(key);
    return h(
      'button',
      {
        class: `pin${pinned ? ' on' : ''}`,
        testid: `pin-${key}`,
        title: pinned ? `Unpin ${key}` : `Pin ${key} beside the run: it stays in sight while the table scrolls sideways`,
        attrs: { 'aria-pressed': String(pinned) },
        on: { click: () => this.o.onPin(key) },
      },
      icon(pinned ? 'pinned' : 'pin'),
    );
  }

  private row(r: CompareRunRow): HTMLElement {
    return h(
      'tr',
      { testid: `run-row-${r.id}` },
      this.columns.map((c) => {
        switch (c.kind) {
          case 'run':
            return h(
              'th',
              { class: 'col-run stuck', attrs: { scope: 'row' } },
              h('button', { class: 'link', title: `Open run #${r.id}`, on: { click: () => this.o.openRun(r.id) } }, `#${r.id}`),
              r.parentRunId === null ? h('span', { class: 'muted' }, ` ${r.pipeline}`) : null,
            );
          case 'status':
            return h('td', { class: `status status-${r.status}` }, r.status);
          case 'param': {
            const v = r.params[c.key];
            return h('td', { class: `col-param${c.numeric ? ' num' : ''}`, title: v ?? 'not set' }, v ?? h('span', { class: 'muted' }, '–'));
          }
          case 'metric': {
            const v = r.metrics[c.key];
            const best = v !== null && v !== undefined && this.best.get(c.key)?.has(r.id);
            return h(
              'td',
              {
                class: `col-metric num${best ? ' best' : ''}`,
                testid: best ? `best-${c.key}` : undefined,
                title: v === null || v === undefined ? '' : `${c.key} = ${v}${best ? ' (best)' : ''}`,
              },
              v === null || v === undefined ? h('span', { class: 'muted' }, '–') : formatMetric(v),
              best ? icon('star-full', 'best-icon') : null,
            );
          }
        }
      }),
    );
  }
}

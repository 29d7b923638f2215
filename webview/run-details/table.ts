import { h } from '../common/dom';

/** A vscode-table with a header row and body rows; each row may carry a test id. */
export function table(headers: string[], rows: { cells: (Node | string)[]; testid?: string; class?: string }[], columns?: string[]): HTMLElement {
  return h(
    'vscode-table',
    // Column widths are applied once the table is laid out (see applyColumnWidths).
    { attrs: { zebra: true, 'bordered-rows': true, 'min-column-width': '40px', 'data-columns': columns && JSON.stringify(columns) } },
    h(
      'vscode-table-header',
      { attrs: { slot: 'header' } },
      headers.map((t) => h('vscode-table-header-cell', null, t)),
    ),
    h(
      'vscode-table-body',
      { attrs: { slot: 'body' } },
      rows.map((r) =>
        h(
          'vscode-table-row',
          { testid: r.testid, class: r.class },
          r.cells.map((c) => h('vscode-table-cell', null, c)),
        ),
      ),
    ),
  );
}

/** Key/value pairs as a definition list: reads better than a table for a handful of facts. */
export function facts(pairs: [string, Node | string][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    pairs.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
  );
}

/**
 * vscode-table turns percentage columns into sizes against its own width, which is 0 while it is
 * still detached or inside a collapsible that has not rendered: set `columns` after two frames, when
 * its resize observer has measured it.
 */
export function applyColumnWidths(root: ParentNode): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      for (const t of root.querySelectorAll<HTMLElement & { columns: string[] }>('vscode-table[data-columns]')) {
        try {
          t.columns = JSON.parse(t.dataset.columns ?? '[]') as string[];
        } catch {
          // A malformed attribute only costs the default (equal) widths.
        }
      }
    }),
  );
}

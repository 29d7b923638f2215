/**
 * A tiny element builder: the page is re-rendered from data, and plain DOM keeps the bundle small
 * and the CSP strict (no template strings parsed as HTML, so no injection from run data either).
 */
type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** `data-testid`, the handle the browser tests use. */
  testid?: string;
  title?: string;
  attrs?: Record<string, string | boolean | undefined>;
  /** Element properties (e.g. a vscode-table's `columns`). */
  props?: Record<string, unknown>;
  on?: Record<string, (event: Event) => void>;
}

export function h(tag: string, props: Props | null, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  if (props) {
    if (props.class) el.className = props.class;
    if (props.testid) el.dataset.testid = props.testid;
    if (props.title) el.title = props.title;
    for (const [k, v] of Object.entries(props.attrs ?? {})) {
      if (v === true) el.setAttribute(k, '');
      else if (typeof v === 'string') el.setAttribute(k, v);
    }
    for (const [k, v] of Object.entries(props.props ?? {})) (el as unknown as Record<string, unknown>)[k] = v;
    for (const [k, fn] of Object.entries(props.on ?? {})) el.addEventListener(k, fn);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
  }
  return el;
}

/** Text as the messages write it: each `backticked` part (a setting, a command) becomes a <code>. */
export function prose(text: string): (string | HTMLElement)[] {
  return text.split('`').flatMap((part, i): (string | HTMLElement)[] => (i % 2 ? [h('code', null, part)] : part ? [part] : []));
}

/** A page or tab with nothing to show, and what to do about it. */
export function note(testid: string, text: string | (string | HTMLElement)[]): HTMLElement {
  return h('div', { class: 'note', testid }, icon('info'), h('p', null, ...(typeof text === 'string' ? prose(text) : text)));
}

/** A codicon from the stylesheet loaded by the page (`codicon.css`). */
/** A page's header: its title (and what sits beside it in the title row), then the lines under it. */
export function pageHeader(o: { title: string; testid: string; beside?: Child[]; ruled?: boolean }, ...below: Child[]): HTMLElement {
  const title = h('h1', { testid: o.testid }, o.title);
  return h('header', { class: o.ruled ? 'page-header ruled' : 'page-header' }, o.beside ? h('div', { class: 'title-row' }, title, o.beside) : title, below);
}

/** A column heading: its text, or its text and what it means (shown on hover). */
export type Heading = string | { text: string; title: string };

/**
 * A data table (panel.css `table.data`: sticky header, row hover) in a box that scrolls sideways
 * when the panel is narrower than the table; `caption` goes under it.
 */
export function dataTable(testid: string, headings: readonly Heading[], rows: Child[], o: { class?: string; caption?: Child } = {}): HTMLElement {
  const th = (c: Heading) => (typeof c === 'string' ? h('th', { attrs: { scope: 'col' } }, c) : h('th', { title: c.title, attrs: { scope: 'col' } }, c.text));
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: o.class ? `data ${o.class}` : 'data', testid }, h('thead', null, h('tr', null, headings.map(th))), h('tbody', null, rows)),
    o.caption ?? null,
  );
}

/** The page's only content when there is nothing to show (the run is gone, no runs to compare). */
export function emptyState(testid: string, message: string): HTMLElement {
  return h('div', { class: 'not-found', testid }, icon('info'), h('p', null, message));
}

export function icon(name: string, extraClass = ''): HTMLElement {
  return h('span', { class: `codicon codicon-${name} ${extraClass}`.trim(), attrs: { 'aria-hidden': 'true' } });
}

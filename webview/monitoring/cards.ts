import { h } from '../common/dom';

/** A titled card for a chart or a table, with optional controls (pickers) in its heading. */
export function card(title: string, name: string, body: HTMLElement, controls?: HTMLElement | null): HTMLElement {
  return h(
    'article',
    { class: 'chart-card', testid: `card-${name}` },
    h('div', { class: 'chart-head' }, h('h2', null, title), h('span', { class: 'spacer' }), controls ?? null),
    body,
  );
}

export { note } from '../common/dom';

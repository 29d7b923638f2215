import { h, icon } from '../run-details/dom';

/** A titled card for a chart or a table, with optional controls (pickers) in its heading. */
export function card(title: string, name: string, body: HTMLElement, controls?: HTMLElement | null): HTMLElement {
  return h('article', { class: 'chart-card', testid: `card-${name}` }, h('div', { class: 'chart-head' }, h('h2', null, title), h('span', { class: 'spacer' }), controls ?? null), body);
}

/** Nothing to show yet, and what to do about it. */
export function note(testid: string, text: string | (string | HTMLElement)[]): HTMLElement {
  return h('div', { class: 'note', testid }, icon('info'), h('p', null, ...(Array.isArray(text) ? text : [text])));
}

import type { LineageNodeView, LineageView } from '../../src/shared/lineage';
import { NODE_HEIGHT, NODE_WIDTH, type Layout } from './layout';

const SVG = 'http://www.w3.org/2000/svg';

/** Short names of the node kinds, drawn as a small tag in each box. */
const KIND_TAG: Record<LineageNodeView['kind'], string> = { execution: 'run', artifact: 'artifact', modelVersion: 'model', monitoring: 'serving' };

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

/** Cuts text to what fits the box; the tooltip has it whole. */
function fit(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/**
 * The graph as SVG: edges first (under the nodes), each node a focusable box with its title,
 * caption and tooltip. Colours come from classes (style.css maps them to theme variables).
 */
export function drawGraph(view: LineageView, layout: Layout): SVGGElement {
  const edges = el('g', { class: 'edges' });
  view.edges.forEach((e, i) => {
    const route = layout.edges.get(i);
    if (!route) return;
    const d = route.map((p, j) => `${j ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    const path = el('path', { d, class: `edge edge-${e.kind}`, 'marker-end': 'url(#arrow)', 'data-from': e.from, 'data-to': e.to });
    if (e.label) path.append(el('title', {}, e.label));
    edges.append(path);
  });
  const nodes = el('g', { class: 'nodes' });
  for (const n of view.nodes) {
    const at = layout.nodes.get(n.id);
    if (!at) continue;
    const classes = ['node', `node-${n.kind}`, n.status ? `status-${n.status.replace(/\s+/g, '-')}` : '', n.reused ? 'reused' : '', n.subject ? 'subject' : ''];
    const g = el(
      'g',
      {
        class: classes.filter(Boolean).join(' '),
        transform: `translate(${at.x},${at.y})`,
        tabindex: 0,
        role: 'button',
        'aria-label': `${n.title}, ${n.caption}`,
        'data-id': n.id,
        'data-testid': 'lineage-node',
      },
      el('title', {}, [n.title, n.caption, ...n.detail].join('\n')),
      el('rect', { class: 'box', width: NODE_WIDTH, height: NODE_HEIGHT, rx: n.kind === 'execution' ? 4 : 12 }),
      el('rect', { class: 'bar', width: 4, height: NODE_HEIGHT - 8, x: 4, y: 4, rx: 2 }),
      el('text', { class: 'title', x: 14, y: 18 }, fit(n.title, 18)),
      el('text', { class: 'tag', x: NODE_WIDTH - 8, y: 16, 'text-anchor': 'end' }, KIND_TAG[n.kind]),
      el('text', { class: 'caption', x: 14, y: 35 }, fit(n.caption, 27)),
    );
    nodes.append(g);
  }
  const defs = el(
    'defs',
    {},
    el(
      'marker',
      { id: 'arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      el('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow' }),
    ),
  );
  return el('g', { class: 'graph' }, defs, edges, nodes);
}

/** Marks the node and everything connected to it upstream and downstream; the rest fades. */
export function highlightPath(root: SVGGElement, view: LineageView, nodeId: string | undefined): void {
  const reach = (start: string, next: (id: string) => string[]) => {
    const seen = new Set([start]);
    const queue = [start];
    while (queue.length) for (const n of next(queue.pop()!)) if (!seen.has(n)) (queue.push(n), seen.add(n));
    return seen;
  };
  const keep = nodeId
    ? new Set([
        ...reach(nodeId, (id) => view.edges.filter((e) => e.to === id).map((e) => e.from)),
        ...reach(nodeId, (id) => view.edges.filter((e) => e.from === id).map((e) => e.to)),
      ])
    : new Set<string>();
  root.classList.toggle('focused', keep.size > 0);
  for (const g of root.querySelectorAll<SVGGElement>('.node')) {
    g.classList.toggle('on-path', keep.has(g.dataset.id ?? ''));
    g.classList.toggle('selected', g.dataset.id === nodeId);
  }
  for (const p of root.querySelectorAll<SVGPathElement>('.edge')) p.classList.toggle('on-path', keep.has(p.dataset.from ?? '') && keep.has(p.dataset.to ?? ''));
}

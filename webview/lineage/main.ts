// Only the elements this page uses: each import registers one custom element.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../common/panel.css';
import './style.css';
import {
  isLineageState,
  isLineageSubject,
  isToWebviewMessage,
  type FromWebviewMessage,
  type LineageDirectionView,
  type LineageNodeView,
  type LineageState,
  type LineageView,
  type ToWebviewMessage,
} from '../../src/shared/lineage';
import { startPage } from '../common/boot';
import { vscodeApi } from '../common/vscodeApi';
import { drawGraph, highlightPath } from './draw';
import { layoutGraph, type Layout } from './layout';
import { Viewport } from './viewport';

const SVG = 'http://www.w3.org/2000/svg';
const DIRECTIONS: [LineageDirectionView, string, string][] = [
  ['up', 'Upstream', 'Where it came from'],
  ['both', 'Both', 'Where it came from and what was built from it'],
  ['down', 'Downstream', 'What was built from it'],
];

const vscode = vscodeApi<LineageState>();
const app = document.getElementById('app')!;

/** The saved state is this panel's (VS Code keeps it per panel); the subject attribute only names a new panel's. */
function initialState(): LineageState {
  const saved = vscode.getState();
  if (isLineageState(saved)) return saved;
  const subject: unknown = JSON.parse(document.body.dataset.subject ?? 'null');
  if (!isLineageSubject(subject)) throw new Error(`the page was opened without a lineage subject: ${document.body.dataset.subject}`);
  return { subject, direction: 'both' };
}

let state = initialState();
vscode.setState(state);

function save(patch: Partial<LineageState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

const title = document.createElement('h1');
title.dataset.testid = 'lineage-title';
const directions = document.createElement('div');
directions.className = 'directions';
directions.setAttribute('role', 'radiogroup');
directions.setAttribute('aria-label', 'Direction');
const summary = document.createElement('p');
summary.className = 'summary';
summary.dataset.testid = 'lineage-summary';
const svg = document.createElementNS(SVG, 'svg');
svg.classList.add('canvas');
svg.dataset.testid = 'lineage-graph';
svg.setAttribute('role', 'group');
const details = document.createElement('footer');
details.className = 'details';
details.dataset.testid = 'lineage-details';

let view: LineageView | undefined;
let graph: SVGGElement | undefined;
let selected: string | undefined;
let drawing = 0;
const viewport = new Viewport(
  svg,
  () => graph,
  (v) => save({ viewport: v }),
);

const { post, logError } = startPage<ToWebviewMessage, FromWebviewMessage>({
  isMessage: isToWebviewMessage,
  onMessage: async (message) => {
    switch (message.type) {
      case 'graph': {
        const moved = JSON.stringify(message.payload.subject) !== JSON.stringify(state.subject);
        if (moved) selected = undefined;
        save({ view: message.payload, subject: message.payload.subject, direction: message.payload.direction, ...(moved ? { viewport: undefined } : {}) });
        await show(message.payload);
        return;
      }
      case 'notFound':
        save({ view: undefined });
        view = undefined;
        showEmpty(message.payload.message);
        return;
    }
  },
});

/** The direction buttons: the chosen one primary, the others secondary. */
function renderDirections(): void {
  directions.replaceChildren(
    ...DIRECTIONS.map(([direction, label, hint]) => {
      const b = button(label, hint, () => setDirection(direction));
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', String(state.direction === direction));
      b.dataset.direction = direction;
      if (state.direction === direction) b.removeAttribute('secondary');
      return b;
    }),
  );
}

function toolbar(): HTMLElement {
  renderDirections();
  const bar = document.createElement('header');
  bar.className = 'toolbar';
  const tools = document.createElement('div');
  tools.className = 'tools';
  tools.append(
    directions,
    button('Fit', 'Show the whole graph', () => graph && viewport.fit(laidOut)),
    button('−', 'Zoom out', () => viewport.zoomBy(0.8)),
    button('+', 'Zoom in', () => viewport.zoomBy(1.25)),
  );
  bar.append(title, tools);
  return bar;
}

function button(label: string, hint: string, action: () => unknown): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  b.title = hint;
  b.setAttribute('secondary', '');
  b.addEventListener('click', () => action());
  return b;
}

function setDirection(direction: LineageDirectionView): void {
  if (direction === state.direction) return;
  save({ direction, viewport: undefined });
  renderDirections();
  summary.textContent = 'Loading…';
  post({ type: 'setDirection', payload: { direction } });
}

let laidOut: Layout = { width: 0, height: 0, nodes: new Map(), edges: new Map() };

/** A first look: the whole graph when it is readable so, else readable and centred on the subject. */
function frameSubject(): void {
  const subject = view?.nodes
    .filter((n) => n.subject)
    .map((n) => laidOut.nodes.get(n.id))
    .find((p) => p !== undefined);
  viewport.frame(laidOut, subject);
}

async function show(next: LineageView): Promise<void> {
  const mine = ++drawing;
  view = next;
  title.textContent = next.title;
  renderDirections();
  const layout = await layoutGraph(next);
  // A newer graph arrived while this one was laid out: it draws instead.
  if (mine !== drawing) return;
  laidOut = layout;
  graph = drawGraph(next, layout);
  svg.replaceChildren(graph);
  if (state.viewport) viewport.set(state.viewport);
  else frameSubject();
  highlightPath(graph, next, selected);
  const executions = next.nodes.filter((n) => n.kind === 'execution').length;
  summary.textContent = [
    `${next.nodes.length} nodes (${executions} executions)`,
    `read in ${next.queryMs < 10 ? next.queryMs.toFixed(1) : Math.round(next.queryMs)} ms`,
    ...(next.truncated ? ['cut at the node limit: choose one direction, or open a node’s own lineage'] : []),
  ].join(' · ');
  summary.classList.toggle('warning', next.truncated);
  showDetails();
  post({ type: 'rendered', payload: { nodes: graph.querySelectorAll('.node').length, edges: graph.querySelectorAll('.edge').length, empty: null } });
}

function showEmpty(message: string): void {
  drawing++;
  graph = undefined;
  svg.replaceChildren();
  summary.textContent = message;
  details.replaceChildren();
  post({ type: 'rendered', payload: { nodes: 0, edges: 0, empty: message } });
}

function nodeOf(target: EventTarget | null): LineageNodeView | undefined {
  const id = (target as Element | null)?.closest<SVGGElement>('.node')?.dataset.id;
  return view?.nodes.find((n) => n.id === id);
}

function select(id: string | undefined): void {
  selected = id;
  if (graph && view) highlightPath(graph, view, id);
  showDetails();
}

function showDetails(): void {
  const node = view?.nodes.find((n) => n.id === selected);
  if (!node) {
    details.replaceChildren(hint('Click a node to follow its lineage; double-click or Enter opens it.'));
    return;
  }
  const name = document.createElement('strong');
  name.textContent = node.title;
  const facts = document.createElement('span');
  facts.className = 'facts';
  facts.textContent = [node.caption, ...node.detail].join(' · ');
  details.replaceChildren(
    name,
    facts,
    button('Open', openLabel(node), () => post({ type: 'open', payload: { nodeId: node.id } })),
    ...(node.reusedFromRun === null
      ? []
      : [
          button(`Open run #${node.reusedFromRun}`, 'The run whose work this execution reused', () =>
            post({ type: 'openOrigin', payload: { nodeId: node.id } }),
          ),
        ]),
    button('Lineage from here', 'Show the lineage of this node instead', () => post({ type: 'focus', payload: { nodeId: node.id } })),
  );
}

function openLabel(node: LineageNodeView): string {
  switch (node.kind) {
    case 'execution':
      return 'Open the run';
    case 'artifact':
      return 'Open its panel or file';
    case 'modelVersion':
      return 'Open its evaluation';
    case 'monitoring':
      return 'Open monitoring';
  }
}

function hint(text: string): HTMLElement {
  const p = document.createElement('span');
  p.className = 'hint';
  p.textContent = text;
  return p;
}

svg.addEventListener('click', (e) => select(nodeOf(e.target)?.id));
svg.addEventListener('dblclick', (e) => {
  const node = nodeOf(e.target);
  if (node) post({ type: 'open', payload: { nodeId: node.id } });
});
svg.addEventListener('keydown', (e) => {
  const node = nodeOf(e.target);
  if (!node) return;
  if (e.key === 'Enter') post({ type: 'open', payload: { nodeId: node.id } });
  else if (e.key === ' ') {
    e.preventDefault();
    select(node.id);
  }
});

app.replaceChildren(toolbar(), summary, svg, details);
// Shown at once from the saved state when the panel comes back; fresh data follows the handshake.
if (state.view) show(state.view).catch(logError);
post({ type: 'ready', payload: { direction: state.direction } });

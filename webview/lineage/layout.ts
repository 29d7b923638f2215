import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { LineageView } from '../../src/shared/lineage';

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 44;

export interface Point {
  x: number;
  y: number;
}

/** Where each node and edge goes, in the drawing's own coordinates. */
export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, Point>;
  /** Each edge's route: start, bends, end. */
  edges: Map<number, Point[]>;
}

/** The layered (Sugiyama) layout ELK runs in this page, synchronously behind a promise: no worker to allow in the CSP. */
const elk = new ELK();

/**
 * Left to right in layers, as data flows: data files on the left, served traffic on the right.
 * Edges route orthogonally between layers; nodes of one run stay close because ELK keeps the
 * input order as a tie-breaker (ids grow along the pipeline).
 */
export async function layoutGraph(view: LineageView): Promise<Layout> {
  const ids = new Set(view.nodes.map((n) => n.id));
  const edges: ElkExtendedEdge[] = view.edges
    .map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] }))
    .filter((e) => ids.has(e.sources[0]) && ids.has(e.targets[0]));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '14',
      'elk.spacing.edgeNode': '12',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: view.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges,
  };
  const laid = await elk.layout(graph);
  const nodes = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
  // Edge ids are `e<index into view.edges>`, kept through the filter.
  const routes = new Map<number, Point[]>();
  for (const e of laid.edges ?? []) {
    const section = e.sections?.[0];
    if (section) routes.set(Number(e.id.slice(1)), [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
  }
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges: routes };
}

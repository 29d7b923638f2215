/**
 * The lineage panel's message contract, imported by the extension (src/extension/lineage) and the
 * webview (webview/lineage). The extension sends the graph as a view model (labels made, paths
 * shortened); the page lays it out and draws it. Nodes are named by id (`execution:12`,
 * `artifact:40`, `model:taxi@2`, `monitoring:taxi@2`), never by path: the extension resolves them.
 */
import { fromPage } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, refine, str, union, type Infer } from './schema';

export const LINEAGE_VIEW_TYPE = 'mlops.lineage';

const isDirection = literal('up', 'down', 'both');
export type LineageDirectionView = Infer<typeof isDirection>;

const positive = refine(int, (n) => n > 0);

/** What a panel shows the lineage of: the store's LineageSubject, as the page saves it. */
export const isLineageSubject = union(
  object({ kind: literal('run'), runId: positive }),
  object({ kind: literal('artifact'), artifactIds: refine(array(positive), (ids) => ids.length > 0) }),
  object({ kind: literal('model'), model: str, version: positive }),
);
export type LineageSubjectView = Infer<typeof isLineageSubject>;

export const isLineageNodeView = object({
  id: str,
  kind: literal('execution', 'artifact', 'modelVersion', 'monitoring'),
  title: str,
  caption: str,
  /** Lines of the tooltip. */
  detail: array(str),
  /** An execution's status; an artifact's state; a version's `blessed` / `not blessed`; null otherwise. */
  status: nullable(str),
  /** A cached execution: it reused another run's work (its caption names the run). */
  reused: bool,
  /** The run whose work a cached execution reused (null when that run was deleted, or not cached). */
  reusedFromRun: nullable(int),
  /** One of the nodes the panel was opened on. */
  subject: bool,
});
export type LineageNodeView = Infer<typeof isLineageNodeView>;

export const isLineageView = object({
  /** "Lineage of run #12", "Lineage of taxi@2". */
  title: str,
  subject: isLineageSubject,
  direction: isDirection,
  nodes: array(isLineageNodeView),
  edges: array(object({ from: str, to: str, kind: literal('input', 'output', 'registered', 'pushed', 'served'), label: nullable(str) })),
  truncated: bool,
  /** How long the store took to answer, shown small under the graph. */
  queryMs: num,
});
export type LineageView = Infer<typeof isLineageView>;

export const isToWebviewMessage = messages({
  graph: isLineageView,
  notFound: object({ message: str }),
});
export type ToWebviewMessage = Infer<typeof isToWebviewMessage>;

const isRenderedLineage = object({ nodes: int, edges: int, empty: nullable(str) });
export type RenderedLineage = Infer<typeof isRenderedLineage>;

export const isFromWebviewMessage = fromPage({
  ready: object({ direction: isDirection }),
  /** Open what the node is: a run's panel, a statistics or evaluation panel, a file, monitoring. */
  open: object({ nodeId: str }),
  /** Open the run a reused execution's work came from. */
  openOrigin: object({ nodeId: str }),
  /** Show the lineage of this node instead (double-click). */
  focus: object({ nodeId: str }),
  setDirection: object({ direction: isDirection }),
  /** What the page drew (for the tests and the log): node and edge counts, or its empty message. */
  rendered: isRenderedLineage,
});
export type FromWebviewMessage = Infer<typeof isFromWebviewMessage>;

/** Pan and zoom of the drawing, kept across hiding and reloads. */
const isViewport = object({ x: num, y: num, scale: num });
export type LineageViewport = Infer<typeof isViewport>;

/** What the page keeps with setState, and what the serializer reopens after a reload. */
export const isLineageState = object({
  subject: isLineageSubject,
  direction: isDirection,
  view: optional(isLineageView),
  viewport: optional(isViewport),
});
export type LineageState = Infer<typeof isLineageState>;

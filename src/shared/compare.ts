/**
 * The Compare Runs panel's message contract, imported by the extension (src/extension/compare) and
 * the webview (webview/compare). The extension reads the runs, their parameters and final metrics,
 * works out what differs, which run is best per metric and where every run sits on each axis of the
 * parallel-coordinates plot; curves are sent per metric when the webview asks (a chart scrolled into
 * view). The webview renders. Messages are validated on arrival on both sides.
 *
 * Handshake: the webview posts `ready` (with the source it restored) once its listener is installed.
 */

import { fromPage, isChartExport } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, record, str, union, type Infer } from './schema';

export const COMPARE_VIEW_TYPE = 'mlops.compare';

export const isCompareSource = union(
  object({ kind: literal('checked') }),
  object({ kind: literal('runs'), runIds: array(int) }),
  object({ kind: literal('trials'), parentRunId: int }),
);
export type CompareSource = Infer<typeof isCompareSource>;

const isDirection = literal('min', 'max');
export type Direction = Infer<typeof isDirection>;

const isRunRow = object({
  id: int,
  pipeline: str,
  status: str,
  startedAt: num,
  parentRunId: nullable(int),
  params: record(str),
  /** Final (latest-step) value per metric; null when it is not a finite number. */
  metrics: record(nullable(num)),
});
export type CompareRunRow = Infer<typeof isRunRow>;

const isParamColumn = object({
  key: str,
  /** Not the same value (or presence) in every run. */
  differs: bool,
  /** Every present value is a number. */
  kind: literal('numeric', 'categorical'),
  /** Positive numbers spanning two decades or more (a learning rate): drawn on a log axis. */
  log: bool,
});
export type ParamColumn = Infer<typeof isParamColumn>;

const isMetricColumn = object({
  key: str,
  direction: isDirection,
  best: nullable(num),
  /** Runs holding the best value (ties included). */
  bestRuns: array(int),
  /** The runs hold more than one value: a constant (examples.eval) is hidden with the constant params. */
  differs: bool,
});
export type MetricColumn = Infer<typeof isMetricColumn>;

const isAxisTick = object({
  /** 0 (bottom) … 1 (top). */
  position: num,
  label: str,
});
export type AxisTick = Infer<typeof isAxisTick>;

const isParallelAxis = object({ key: str, kind: literal('param', 'metric'), ticks: array(isAxisTick) });
export type ParallelAxis = Infer<typeof isParallelAxis>;

const isParallelData = object({ axes: array(isParallelAxis), lines: array(object({ runId: int, positions: array(nullable(num)) })) });
export type ParallelData = Infer<typeof isParallelData>;

export const isCompareView = object({
  source: isCompareSource,
  title: str,
  /** Runs in the comparison, oldest first. */
  runs: array(isRunRow),
  params: array(isParamColumn),
  metrics: array(isMetricColumn),
  /** Metrics logged at two steps or more in some run: the ones with curves to overlay. */
  curves: array(str),
  /** The metric tuning optimised (or the likeliest one), for the plots' default. */
  objective: nullable(object({ key: str, direction: isDirection })),
  /** Axes for the differing params and every metric; null when no param differs. */
  parallel: nullable(isParallelData),
  /** Most points a run's curve is drawn with. */
  curveBudget: int,
});
export type CompareView = Infer<typeof isCompareView>;

export const isCurvesData = object({ key: str, runs: array(object({ runId: int, steps: array(num), values: array(num) })) });
export type CurvesData = Infer<typeof isCurvesData>;

const isSortOrder = object({ column: str, descending: bool });
export type SortOrder = Infer<typeof isSortOrder>;

const isRenderedCompare = object({
  /** Table rows drawn (a page at a time). */
  rows: int,
  paramColumns: int,
  /** Cells marked best. */
  best: int,
  /** Charts drawn: `parallel`, `scatter`, `curve-<metric>`. */
  charts: array(str),
  /** Every run of the table in display order. */
  order: array(int),
  onlyDiffering: bool,
});
export type RenderedCompare = Infer<typeof isRenderedCompare>;

export const isCompareState = object({
  source: isCompareSource,
  onlyDiffering: optional(bool),
  /** The metric the parallel-coordinates plot ends on and colours by. */
  objective: optional(str),
  scatter: optional(object({ param: str, metric: str })),
  sort: optional(isSortOrder),
  /** Columns pinned beside the run, in the order they were pinned: they stay in sight while the table scrolls sideways. */
  pinned: optional(array(str)),
});
export type CompareState = Infer<typeof isCompareState>;

export const isToWebviewMessage = messages({
  view: isCompareView,
  curves: isCurvesData,
  /** Nothing to compare (no runs ticked, a tuning run without trials): a message and a hint. */
  empty: object({ source: isCompareSource, message: str }),
});
export type ToWebviewMessage = Infer<typeof isToWebviewMessage>;

export const isFromWebviewMessage = fromPage({
  ready: object({ source: nullable(isCompareSource) }),
  requestCurves: object({ key: str }),
  /** The table as shown: runs in display order, all params or only the differing ones. */
  exportCsv: object({ runIds: array(int), onlyDiffering: bool }),
  exportChart: isChartExport,
  openRun: object({ runId: int }),
  /**
   * After each render: what the page shows, for the tests and the log, and the table's order and
   * filter, so the Export Comparison command writes the table the user sees.
   */
  rendered: isRenderedCompare,
});
export type FromWebviewMessage = Infer<typeof isFromWebviewMessage>;

/** One panel per source: the same key reveals the open panel. */
export function sourceKey(source: CompareSource): string {
  switch (source.kind) {
    case 'checked':
      return 'checked';
    case 'runs':
      return `runs:${[...source.runIds].sort((a, b) => a - b).join(',')}`;
    case 'trials':
      return `trials:${source.parentRunId}`;
  }
}

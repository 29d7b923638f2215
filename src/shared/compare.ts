/**
 * The Compare Runs panel's message contract, imported by the extension (src/extension/compare) and
 * the webview (webview/compare). The extension reads the runs, their parameters and final metrics,
 * works out what differs, which run is best per metric and where every run sits on each axis of the
 * parallel-coordinates plot; curves are sent per metric when the webview asks (a chart scrolled into
 * view). The webview renders. Messages are validated on arrival on both sides.
 *
 * Handshake: the webview posts `ready` (with the source it restored) once its listener is installed.
 */

import { arrayOf, hasFields, isBool, isInt, isNum, isObj, isStr, optional, orNull, recordsOf, type Check } from './guards';
import { isPageLog, type PageLog } from './contract';

export const COMPARE_VIEW_TYPE = 'mlops.compare';

/**
 * Which runs: the ones ticked in the Runs tree (the panel follows the ticks), a fixed set (a
 * multi-selection), or the trials of a tuning run (the panel follows new trials).
 */
export type CompareSource = { kind: 'checked' } | { kind: 'runs'; runIds: number[] } | { kind: 'trials'; parentRunId: number };

export type Direction = 'min' | 'max';

export interface CompareRunRow {
  id: number;
  pipeline: string;
  status: string;
  startedAt: number;
  parentRunId: number | null;
  params: Record<string, string>;
  /** Final (latest-step) value per metric; null when it is not a finite number. */
  metrics: Record<string, number | null>;
}

export interface ParamColumn {
  key: string;
  /** Not the same value (or presence) in every run. */
  differs: boolean;
  /** Every present value is a number. */
  kind: 'numeric' | 'categorical';
  /** Positive numbers spanning two decades or more (a learning rate): drawn on a log axis. */
  log: boolean;
}

export interface MetricColumn {
  key: string;
  direction: Direction;
  best: number | null;
  /** Runs holding the best value (ties included). */
  bestRuns: number[];
  /** The runs hold more than one value: a constant (examples.eval) is hidden with the constant params. */
  differs: boolean;
}

export interface AxisTick {
  /** 0 (bottom) … 1 (top). */
  position: number;
  label: string;
}

export interface ParallelAxis {
  key: string;
  kind: 'param' | 'metric';
  ticks: AxisTick[];
}

/** Normalised coordinates: each run's position (0..1, null when absent) on every axis, in axis order. */
export interface ParallelData {
  axes: ParallelAxis[];
  lines: { runId: number; positions: (number | null)[] }[];
}

export interface CompareView {
  source: CompareSource;
  title: string;
  /** Runs in the comparison, oldest first. */
  runs: CompareRunRow[];
  params: ParamColumn[];
  metrics: MetricColumn[];
  /** Metrics logged at two steps or more in some run: the ones with curves to overlay. */
  curves: string[];
  /** The metric tuning optimised (or the likeliest one), for the plots' default. */
  objective: { key: string; direction: Direction } | null;
  /** Axes for the differing params and every metric; null when no param differs. */
  parallel: ParallelData | null;
  /** Most points a run's curve is drawn with. */
  curveBudget: number;
}

export interface CurvesData {
  key: string;
  runs: { runId: number; steps: number[]; values: number[] }[];
}

export type SortOrder = { column: string; descending: boolean };

export interface RenderedCompare {
  /** Table rows drawn (a page at a time). */
  rows: number;
  paramColumns: number;
  /** Cells marked best. */
  best: number;
  /** Charts drawn: `parallel`, `scatter`, `curve-<metric>`. */
  charts: string[];
  /** Every run of the table in display order. */
  order: number[];
  onlyDiffering: boolean;
}

/** What the webview keeps with `setState`; the serializer reopens `source`. */
export interface CompareState {
  source: CompareSource;
  onlyDiffering?: boolean;
  /** The metric the parallel-coordinates plot ends on and colours by. */
  objective?: string;
  scatter?: { param: string; metric: string };
  sort?: SortOrder;
  /** Columns pinned beside the run, in the order they were pinned: they stay in sight while the table scrolls sideways. */
  pinned?: string[];
}

export const enum ToWebviewType {
  View = 'view',
  Curves = 'curves',
  Empty = 'empty',
}

export const enum FromWebviewType {
  Ready = 'ready',
  RequestCurves = 'requestCurves',
  ExportCsv = 'exportCsv',
  ExportChart = 'exportChart',
  OpenRun = 'openRun',
  Rendered = 'rendered',
}

export type ToWebviewMessage =
  | { type: ToWebviewType.View; payload: CompareView }
  | { type: ToWebviewType.Curves; payload: CurvesData }
  /** Nothing to compare (no runs ticked, a tuning run without trials): a message and a hint. */
  | { type: ToWebviewType.Empty; payload: { source: CompareSource; message: string } };

export type FromWebviewMessage =
  | { type: FromWebviewType.Ready; payload: { source: CompareSource | null } }
  | { type: FromWebviewType.RequestCurves; payload: { key: string } }
  /** The table as shown: runs in display order, all params or only the differing ones. */
  | { type: FromWebviewType.ExportCsv; payload: { runIds: number[]; onlyDiffering: boolean } }
  | { type: FromWebviewType.ExportChart; payload: { chart: string; format: 'svg' | 'png'; data: string } }
  | { type: FromWebviewType.OpenRun; payload: { runId: number } }
  /**
   * After each render: what the page shows, for the tests and the log, and the table's order and
   * filter, so the Export Comparison command writes the table the user sees.
   */
  | { type: FromWebviewType.Rendered; payload: RenderedCompare }
  | PageLog;

// ---------------------------------------------------------------------------------------------

const isDirection = (d: unknown) => d === 'min' || d === 'max';
const isRecordOf = (check: Check) => (v: unknown) => isObj(v) && Object.values(v).every(check);

export function isCompareSource(v: unknown): v is CompareSource {
  if (!isObj(v)) return false;
  switch (v.kind) {
    case 'checked':
      return true;
    case 'runs':
      return arrayOf(isInt)(v.runIds);
    case 'trials':
      return isInt(v.parentRunId);
    default:
      return false;
  }
}

const isRunRow = (v: unknown) =>
  hasFields(v, {
    id: isInt,
    pipeline: isStr,
    status: isStr,
    startedAt: isNum,
    parentRunId: orNull(isInt),
    params: isRecordOf(isStr),
    metrics: isRecordOf(orNull(isNum)),
  });

const isParallel = (v: unknown) =>
  hasFields(v, {
    axes: recordsOf({ key: isStr, kind: (k) => k === 'param' || k === 'metric', ticks: recordsOf({ position: isNum, label: isStr }) }),
    lines: recordsOf({ runId: isInt, positions: arrayOf(orNull(isNum)) }),
  });

export function isCompareView(v: unknown): v is CompareView {
  return hasFields(v, {
    source: isCompareSource,
    title: isStr,
    runs: arrayOf(isRunRow),
    params: recordsOf({ key: isStr, differs: isBool, kind: (k) => k === 'numeric' || k === 'categorical', log: isBool }),
    metrics: recordsOf({ key: isStr, direction: isDirection, best: orNull(isNum), bestRuns: arrayOf(isInt), differs: isBool }),
    curves: arrayOf(isStr),
    objective: orNull((o) => hasFields(o, { key: isStr, direction: isDirection })),
    parallel: orNull(isParallel),
    curveBudget: isInt,
  });
}

export function isCurvesData(v: unknown): v is CurvesData {
  return hasFields(v, { key: isStr, runs: recordsOf({ runId: isInt, steps: arrayOf(isNum), values: arrayOf(isNum) }) });
}

export function isToWebviewMessage(m: unknown): m is ToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case ToWebviewType.View:
      return isCompareView(m.payload);
    case ToWebviewType.Curves:
      return isCurvesData(m.payload);
    case ToWebviewType.Empty:
      return hasFields(m.payload, { source: isCompareSource, message: isStr });
    default:
      return false;
  }
}

export function isFromWebviewMessage(m: unknown): m is FromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case FromWebviewType.Ready:
      return hasFields(m.payload, { source: orNull(isCompareSource) });
    case FromWebviewType.RequestCurves:
      return hasFields(m.payload, { key: isStr });
    case FromWebviewType.ExportCsv:
      return hasFields(m.payload, { runIds: arrayOf(isInt), onlyDiffering: isBool });
    case FromWebviewType.ExportChart:
      return hasFields(m.payload, { chart: isStr, format: (f) => f === 'svg' || f === 'png', data: isStr });
    case FromWebviewType.OpenRun:
      return hasFields(m.payload, { runId: isInt });
    case FromWebviewType.Rendered:
      return hasFields(m.payload, { rows: isInt, paramColumns: isInt, best: isInt, charts: arrayOf(isStr), order: arrayOf(isInt), onlyDiffering: isBool });
    default:
      return false;
  }
}

export function isCompareState(s: unknown): s is CompareState {
  return hasFields(s, {
    source: isCompareSource,
    onlyDiffering: optional(isBool),
    objective: optional(isStr),
    scatter: optional((v) => hasFields(v, { param: isStr, metric: isStr })),
    sort: optional((v) => hasFields(v, { column: isStr, descending: isBool })),
    pinned: optional(arrayOf(isStr)),
  });
}

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

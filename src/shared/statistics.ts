/**
 * The statistics panel's message contract, imported by the extension (src/extension/statistics) and
 * the webview (webview/statistics). The extension reads the Statistics artifact, computes every
 * figure (shares, re-binned histograms, distances, CSV) and sends only what the table shows; the
 * webview renders. Messages are validated on arrival on both sides.
 *
 * Handshake: the webview posts `ready` (with the dataset pair it restored, if any) once its listener
 * is installed; the extension sends nothing before.
 */

import { isObj, isInt, isNum, isStr, isBool, orNull, optional, arrayOf, hasFields } from './guards';
import { isPageLog, type PageLog } from './contract';

export const STATISTICS_VIEW_TYPE = 'mlops.statistics';

/** Top values shown inline per categorical feature (the expanded row asks for up to 20). */
export const INLINE_TOP_VALUES = 5;
export const DETAIL_TOP_VALUES = 20;

export interface DatasetChoice {
  name: string;
  split: string;
  span: string | null;
  /** `payment_type=Cash, company=X` for a slice. */
  slice: string | null;
  numExamples: number;
}

/** One side (dataset A or B) of a numeric row. Shares are fractions 0..1 of the dataset's examples. */
export interface NumericSide {
  count: number;
  missing: number;
  mean: number;
  stdDev: number;
  zeros: number;
  min: number;
  median: number;
  max: number;
}

export interface CategoricalSide {
  count: number;
  missing: number;
  unique: number;
  uniqueExact: boolean;
  topValue: string | null;
  /** Share of the present values that are the top value. */
  topFreq: number;
  avgLength: number;
}

/**
 * A distribution both sides share: for numeric features bins on a common range (edges has one more
 * entry than a and b), for categorical ones values (labels). a and b are shares of each side's
 * present values, so datasets of different sizes compare; b is absent without a dataset B.
 */
export interface Distribution {
  edges?: number[];
  labels?: string[];
  a: number[];
  b?: number[];
}

export interface FeatureRow {
  name: string;
  /** The column type from the statistics (int, float, bool, string). */
  type: string;
  a: NumericSide | CategoricalSide | null;
  b: NumericSide | CategoricalSide | null;
  /** JSD for numeric (histograms), L-infinity for categorical; null when there is no B. */
  distance: number | null;
  /** For L-infinity: the value where the largest difference is. */
  distanceAt?: string;
  chart: Distribution;
}

export interface NumericRow extends FeatureRow {
  a: NumericSide | null;
  b: NumericSide | null;
}

export interface CategoricalRow extends FeatureRow {
  a: CategoricalSide | null;
  b: CategoricalSide | null;
}

export interface StatisticsView {
  runId: number;
  pipeline: string;
  /** The artifact's folder, as the user reads it. */
  artifactPath: string;
  datasets: DatasetChoice[];
  /** Suggested pairs for the picker: `train` vs `eval`, span N vs N-1, `train` vs `serving`. */
  pairs: { a: string; b: string; label: string }[];
  a: string;
  b: string | null;
  numeric: NumericRow[];
  categorical: CategoricalRow[];
  /** A feature to scroll to and expand (a deep link from Compare Datasets or the drift panel). */
  focus?: string;
}

/** What an expanded row shows: a finer histogram, the quantiles and the top 20 values of both sides. */
export interface FeatureDetail {
  feature: string;
  a: string;
  b: string | null;
  kind: 'numeric' | 'categorical';
  chart: Distribution;
  /** Equal-count bucket boundaries, per side. */
  quantiles?: { a: number[]; b?: number[] };
  top?: { a: { value: string; count: number }[]; b?: { value: string; count: number }[] };
}

export type SortKey = 'name' | 'missing' | 'zeros' | 'unique' | 'distance';

/** What the webview keeps with `setState`; the serializer reopens `runId`. */
export interface StatisticsState {
  runId: number;
  a?: string;
  b?: string | null;
  sort?: { key: SortKey; descending: boolean };
  filter?: string;
  expanded?: string[];
  view?: StatisticsView;
  /** How expanded numeric features are drawn (Facets' choices): a histogram or the quantiles, shares linear or log. */
  chart?: ChartMode;
}

export interface ChartMode {
  view: 'standard' | 'quantiles';
  log: boolean;
}

export const enum ToWebviewType {
  View = 'view',
  Detail = 'detail',
  NotFound = 'notFound',
}

export const enum FromWebviewType {
  Ready = 'ready',
  Select = 'select',
  Detail = 'detail',
  ExportChart = 'exportChart',
  CopyCsv = 'copyCsv',
  Rendered = 'rendered',
}

export type ToWebviewMessage =
  | { type: ToWebviewType.View; payload: StatisticsView }
  | { type: ToWebviewType.Detail; payload: FeatureDetail }
  | { type: ToWebviewType.NotFound; payload: { runId: number; message: string } };

export type FromWebviewMessage =
  | { type: FromWebviewType.Ready; payload: { runId: number | null; a: string | null; b: string | null } }
  | { type: FromWebviewType.Select; payload: { a: string; b: string | null } }
  | { type: FromWebviewType.Detail; payload: { feature: string } }
  /** `data`: SVG text, or a PNG `data:image/png;base64,` URL. */
  | { type: FromWebviewType.ExportChart; payload: { feature: string; format: 'svg' | 'png'; data: string } }
  /** The features in the order the table shows them (sorted, filtered). */
  | { type: FromWebviewType.CopyCsv; payload: { features: string[] } }
  /** Sent after each render: what the table shows, for the tests and the log. */
  | { type: FromWebviewType.Rendered; payload: { rows: number; charts: number; a: string; b: string | null } }
  | PageLog;

// ---------------------------------------------------------------------------------------------
// Validation, hand-written like runDetails.ts: the checks read as the contract. Rows are checked
// in full only for their shape's keys that the renderer relies on.

const SORT_KEYS: readonly string[] = ['name', 'missing', 'zeros', 'unique', 'distance'];

const isNumericSide = (v: unknown) =>
  hasFields(v, { count: isNum, missing: isNum, mean: isNum, stdDev: isNum, zeros: isNum, min: isNum, median: isNum, max: isNum });
const isCategoricalSide = (v: unknown) =>
  hasFields(v, { count: isNum, missing: isNum, unique: isNum, uniqueExact: isBool, topValue: orNull(isStr), topFreq: isNum, avgLength: isNum });

export function isDistribution(v: unknown): v is Distribution {
  return hasFields(v, { edges: optional(arrayOf(isNum)), labels: optional(arrayOf(isStr)), a: arrayOf(isNum), b: optional(arrayOf(isNum)) });
}

const rowOf = (side: (v: unknown) => boolean) => (v: unknown) =>
  hasFields(v, { name: isStr, type: isStr, a: orNull(side), b: orNull(side), distance: orNull(isNum), distanceAt: optional(isStr), chart: isDistribution });

export function isStatisticsView(v: unknown): v is StatisticsView {
  return hasFields(v, {
    runId: isInt,
    pipeline: isStr,
    artifactPath: isStr,
    datasets: arrayOf((d) => hasFields(d, { name: isStr, split: isStr, span: orNull(isStr), slice: orNull(isStr), numExamples: isNum })),
    pairs: arrayOf((p) => hasFields(p, { a: isStr, b: isStr, label: isStr })),
    a: isStr,
    b: orNull(isStr),
    numeric: arrayOf(rowOf(isNumericSide)),
    categorical: arrayOf(rowOf(isCategoricalSide)),
    focus: optional(isStr),
  });
}

const isTopList = arrayOf((t) => hasFields(t, { value: isStr, count: isNum }));

export function isFeatureDetail(v: unknown): v is FeatureDetail {
  return hasFields(v, {
    feature: isStr,
    a: isStr,
    b: orNull(isStr),
    kind: (k) => k === 'numeric' || k === 'categorical',
    chart: isDistribution,
    quantiles: optional((q) => hasFields(q, { a: arrayOf(isNum), b: optional(arrayOf(isNum)) })),
    top: optional((t) => hasFields(t, { a: isTopList, b: optional(isTopList) })),
  });
}

export function isToWebviewMessage(m: unknown): m is ToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case ToWebviewType.View:
      return isStatisticsView(m.payload);
    case ToWebviewType.Detail:
      return isFeatureDetail(m.payload);
    case ToWebviewType.NotFound:
      return hasFields(m.payload, { runId: isInt, message: isStr });
    default:
      return false;
  }
}

export function isFromWebviewMessage(m: unknown): m is FromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case FromWebviewType.Ready:
      return hasFields(m.payload, { runId: orNull(isInt), a: orNull(isStr), b: orNull(isStr) });
    case FromWebviewType.Select:
      return hasFields(m.payload, { a: isStr, b: orNull(isStr) });
    case FromWebviewType.Detail:
      return hasFields(m.payload, { feature: isStr });
    case FromWebviewType.ExportChart:
      return hasFields(m.payload, { feature: isStr, format: (f) => f === 'svg' || f === 'png', data: isStr });
    case FromWebviewType.CopyCsv:
      return hasFields(m.payload, { features: arrayOf(isStr) });
    case FromWebviewType.Rendered:
      return hasFields(m.payload, { rows: isInt, charts: isInt, a: isStr, b: orNull(isStr) });
    default:
      return false;
  }
}

export function isStatisticsState(s: unknown): s is StatisticsState {
  return hasFields(s, {
    runId: (id) => isInt(id) && id > 0,
    a: optional(isStr),
    b: optional(orNull(isStr)),
    sort: optional((o) => hasFields(o, { key: (k) => isStr(k) && SORT_KEYS.includes(k), descending: isBool })),
    filter: optional(isStr),
    expanded: optional(arrayOf(isStr)),
    chart: optional((c) => hasFields(c, { view: (v) => v === 'standard' || v === 'quantiles', log: isBool })),
  });
}

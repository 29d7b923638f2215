/**
 * The statistics panel's message contract, imported by the extension (src/extension/statistics) and
 * the webview (webview/statistics). The extension reads the Statistics artifact, computes every
 * figure (shares, re-binned histograms, distances, CSV) and sends only what the table shows; the
 * webview renders. Messages are validated on arrival on both sides.
 *
 * Handshake: the webview posts `ready` (with the dataset pair it restored, if any) once its listener
 * is installed; the extension sends nothing before.
 */

import { fromPage, isChartFormat, isRunId, isRunNotFound } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, str, type Infer, type Schema } from './schema';

export const STATISTICS_VIEW_TYPE = 'mlops.statistics';

/** Top values shown inline per categorical feature (the expanded row asks for up to 20). */
export const INLINE_TOP_VALUES = 5;
export const DETAIL_TOP_VALUES = 20;

const isDatasetChoice = object({
  name: str,
  split: str,
  span: nullable(str),
  /** `payment_type=Cash, company=X` for a slice. */
  slice: nullable(str),
  numExamples: num,
});
export type DatasetChoice = Infer<typeof isDatasetChoice>;

/** One side (dataset A or B) of a numeric row. Shares are fractions 0..1 of the dataset's examples. */
const isNumericSide = object({ count: num, missing: num, mean: num, stdDev: num, zeros: num, min: num, median: num, max: num });
export type NumericSide = Infer<typeof isNumericSide>;

const isCategoricalSide = object({
  count: num,
  missing: num,
  unique: num,
  uniqueExact: bool,
  topValue: nullable(str),
  /** Share of the present values that are the top value. */
  topFreq: num,
  avgLength: num,
});
export type CategoricalSide = Infer<typeof isCategoricalSide>;

/**
 * A distribution both sides share: for numeric features bins on a common range (edges has one more
 * entry than a and b), for categorical ones values (labels). a and b are shares of each side's
 * present values, so datasets of different sizes compare; b is absent without a dataset B.
 */
export const isDistribution = object({ edges: optional(array(num)), labels: optional(array(str)), a: array(num), b: optional(array(num)) });
export type Distribution = Infer<typeof isDistribution>;

const rowOf = <Side>(side: Schema<Side>) =>
  object({
    name: str,
    /** The column type from the statistics (int, float, bool, string). */
    type: str,
    a: nullable(side),
    b: nullable(side),
    /** JSD for numeric (histograms), L-infinity for categorical; null when there is no B. */
    distance: nullable(num),
    /** For L-infinity: the value where the largest difference is. */
    distanceAt: optional(str),
    chart: isDistribution,
  });
const isNumericRow = rowOf(isNumericSide);
export type NumericRow = Infer<typeof isNumericRow>;
const isCategoricalRow = rowOf(isCategoricalSide);
export type CategoricalRow = Infer<typeof isCategoricalRow>;
export type FeatureRow = Infer<ReturnType<typeof rowOf<NumericSide | CategoricalSide>>>;

export const isStatisticsView = object({
  runId: int,
  pipeline: str,
  /** The artifact's folder, as the user reads it. */
  artifactPath: str,
  datasets: array(isDatasetChoice),
  /** Suggested pairs for the picker: `train` vs `eval`, span N vs N-1, `train` vs `serving`. */
  pairs: array(object({ a: str, b: str, label: str })),
  a: str,
  b: nullable(str),
  numeric: array(isNumericRow),
  categorical: array(isCategoricalRow),
  /** A feature to scroll to and expand (a deep link from Compare Datasets or the drift panel). */
  focus: optional(str),
});
export type StatisticsView = Infer<typeof isStatisticsView>;

const isTopList = array(object({ value: str, count: num }));

/** What an expanded row shows: a finer histogram, the quantiles and the top 20 values of both sides. */
export const isFeatureDetail = object({
  feature: str,
  a: str,
  b: nullable(str),
  kind: literal('numeric', 'categorical'),
  chart: isDistribution,
  /** Equal-count bucket boundaries, per side. */
  quantiles: optional(object({ a: array(num), b: optional(array(num)) })),
  top: optional(object({ a: isTopList, b: optional(isTopList) })),
});
export type FeatureDetail = Infer<typeof isFeatureDetail>;

const isSortKey = literal('name', 'missing', 'zeros', 'unique', 'distance');
export type SortKey = Infer<typeof isSortKey>;

/** How expanded numeric features are drawn (Facets' choices): a histogram or the quantiles, shares linear or log. */
const isChartMode = object({ view: literal('standard', 'quantiles'), log: bool });
export type ChartMode = Infer<typeof isChartMode>;

/** What the webview keeps with `setState`; the serializer reopens `runId`. */
export const isStatisticsState = object({
  runId: isRunId,
  a: optional(str),
  b: optional(nullable(str)),
  sort: optional(object({ key: isSortKey, descending: bool })),
  filter: optional(str),
  expanded: optional(array(str)),
  view: optional(isStatisticsView),
  chart: optional(isChartMode),
});
export type StatisticsState = Infer<typeof isStatisticsState>;

export const isToWebviewMessage = messages({
  view: isStatisticsView,
  detail: isFeatureDetail,
  notFound: isRunNotFound,
});
export type ToWebviewMessage = Infer<typeof isToWebviewMessage>;

export const isFromWebviewMessage = fromPage({
  ready: object({ runId: nullable(int), a: nullable(str), b: nullable(str) }),
  select: object({ a: str, b: nullable(str) }),
  detail: object({ feature: str }),
  exportChart: object({ feature: str, format: isChartFormat, data: str }),
  /** The features in the order the table shows them (sorted, filtered). */
  copyCsv: object({ features: array(str) }),
  /** Sent after each render: what the table shows, for the tests and the log. */
  rendered: object({ rows: int, charts: int, a: str, b: nullable(str) }),
});
export type FromWebviewMessage = Infer<typeof isFromWebviewMessage>;

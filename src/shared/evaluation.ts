/**
 * The evaluation panel's message contract, imported by the extension (src/extension/evaluation) and
 * the webview (webview/evaluation). The extension reads a run's `evaluation.json` (the evaluate
 * component's artifact, format in src/core/evaluate/report.ts), checks it, adds the better direction
 * of every metric and sends it whole; the webview lays it out (tabs, sorting, the threshold slider).
 * Messages are validated on arrival on both sides.
 *
 * Handshake: the webview posts `ready` (with the run it restored) once its listener is installed;
 * the extension sends nothing before.
 */

import { EVALUATION_FORMAT } from '../core/evaluate/report';
import type {
  Blessing,
  EvaluationReport,
  FairnessReport,
  GroupMetrics,
  ModelRef,
  SlicePlots,
  SliceResult,
  ThresholdCheck,
  ThresholdPoint,
} from '../core/evaluate/report';
import { fromPage, isChartExport, isRunId } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, record, refine, str, type Infer, type Schema } from './schema';

export type {
  Blessing,
  CalibrationBucket,
  Disparity,
  EvaluationReport,
  EvaluationTask,
  FairnessAtThreshold,
  FairnessReport,
  GroupMetrics,
  GroupRates,
  MetricValues,
  ModelRef,
  SlicePlots,
  SliceResult,
  ThresholdCheck,
  ThresholdPoint,
} from '../core/evaluate/report';

export const EVALUATION_VIEW_TYPE = 'mlops.evaluation';

// The report's types are the engine's (src/core/evaluate/report.ts, the artifact's format); each
// schema here is checked against them by its annotation.

const maybeNum = nullable(num);
const isMetricValues = record(maybeNum);
const isInterval = refine(array(num), (v) => v.length === 2);
/** Curve thresholds can be ±Infinity at the ends, which JSON writes as null. */
const isCurveThreshold = maybeNum;

const isThresholdPoint: Schema<ThresholdPoint> = object({
  threshold: num,
  tp: num,
  fp: num,
  tn: num,
  fn: num,
  precision: maybeNum,
  recall: maybeNum,
  fpr: maybeNum,
});

const isPlots: Schema<SlicePlots> = object({
  thresholds: optional(array(isThresholdPoint)),
  roc: optional(array(object({ fpr: num, tpr: num, threshold: isCurveThreshold }))),
  pr: optional(array(object({ recall: num, precision: num, threshold: isCurveThreshold }))),
  calibration: optional(array(object({ lower: num, upper: num, count: num, meanPrediction: num, meanLabel: num }))),
  confusionMatrix: optional(array(array(num))),
});

const isSliceResult: Schema<SliceResult> = object({
  name: str,
  spec: str,
  features: record(str),
  count: int,
  metrics: isMetricValues,
  intervals: optional(record(isInterval as Schema<[number, number]>)),
  baseline: optional(isMetricValues),
  worse: array(str),
  belowMinSize: bool,
  plots: optional(isPlots),
});

const isModelRef: Schema<ModelRef> = object({ label: str, runId: optional(int), model: optional(str), version: optional(int), uri: str, weightsHash: str });

const rateFields = { selection_rate: maybeNum, tpr: maybeNum, fpr: maybeNum, fnr: maybeNum, tnr: maybeNum };
const isPair = object({ difference: maybeNum, ratio: maybeNum });

const isGroupMetrics: Schema<GroupMetrics> = object({
  group: str,
  values: record(str),
  count: int,
  rates: optional(object(rateFields)),
  metrics: isMetricValues,
});

const isFairnessReport: Schema<FairnessReport> = object({
  name: str,
  sensitive: array(str),
  threshold: num,
  overall: isGroupMetrics,
  groups: array(isGroupMetrics),
  disparities: record(object({ difference: maybeNum, ratio: maybeNum, differenceToOverall: maybeNum, ratioToOverall: maybeNum })),
  demographicParity: optional(isPair),
  equalizedOdds: optional(isPair),
  equalOpportunity: optional(isPair),
  atThresholds: optional(
    array(
      object({
        threshold: num,
        groups: array(object({ group: str, ...rateFields })),
        demographicParityDifference: maybeNum,
        equalizedOddsDifference: maybeNum,
      }),
    ),
  ),
});

const isThresholdCheck: Schema<ThresholdCheck> = object({
  metric: str,
  slice: str,
  kind: literal('value', 'change'),
  outcome: literal('passed', 'failed', 'skipped'),
  value: maybeNum,
  baseline: optional(maybeNum),
  change: optional(maybeNum),
  lower: optional(num),
  upper: optional(num),
  absolute: optional(num),
  relative: optional(num),
  direction: optional(literal('higher', 'lower')),
  reason: str,
});

export const isBlessing: Schema<Blessing> = object({ blessed: bool, baseline: optional(str), checks: array(isThresholdCheck) });

/** The whole artifact, checked field by field (a file from another version, or hand-edited, is refused). */
export const isEvaluationReport: Schema<EvaluationReport> = object({
  format: literal(EVALUATION_FORMAT),
  version: int,
  task: literal('binary', 'multiclass', 'regression'),
  classes: optional(array(str)),
  decisionThreshold: num,
  data: object({ source: str, rows: int, skippedRows: int }),
  candidate: isModelRef,
  baseline: optional(isModelRef),
  minSliceSize: int,
  bootstrap: optional(object({ samples: int, confidence: num, seed: num })),
  overall: isSliceResult,
  slices: array(isSliceResult),
  fairness: array(isFairnessReport),
  blessing: isBlessing,
});

/** Which way a metric is better: `one` is "closer to 1" (calibration); `neutral` has no better side (counts, rates of the data). */
const isDirection = literal('higher', 'lower', 'one', 'neutral');
export type MetricDirection = Infer<typeof isDirection>;

export const isEvaluationView = object({
  runId: int,
  pipeline: str,
  runStatus: str,
  /** The evaluation.json shown, as the user reads its path. */
  file: str,
  report: isEvaluationReport,
  /** The slices' metric keys in the order the panel shows them: headline metrics first. */
  metrics: array(str),
  /** The better direction of every metric, rate and fairness measure in the report. */
  directions: record(isDirection),
  /** The registry version this run's model became, with its aliases now (absent: never registered). */
  registered: optional(object({ model: str, version: int, aliases: array(str), inProduction: bool })),
});
export type EvaluationView = Infer<typeof isEvaluationView>;

export const EVALUATION_TABS = ['overview', 'slices', 'plots', 'fairness', 'blessing'] as const;
const isTab = literal(...EVALUATION_TABS);
export type EvaluationTab = Infer<typeof isTab>;

/** The slice table's order: a metric key, or `:name`, `:count`, `:flagged`. */
const isSliceSort = object({ column: str, descending: bool });
export type SliceSort = Infer<typeof isSliceSort>;

/** What the webview keeps with `setState` (it survives hiding and reloads); the serializer reopens `runId`. */
export const isEvaluationState = object({
  runId: isRunId,
  tab: optional(isTab),
  sort: optional(isSliceSort),
  /** Slices with fewer rows are hidden from the table and the chart. */
  minCount: optional(refine(int, (n) => n >= 0)),
  /** The metric of the slices-overview chart. */
  chartMetric: optional(str),
  /** The slice whose ROC, PR, calibration and confusion matrix are drawn. */
  slice: optional(str),
  /** The confusion matrix's decision threshold (binary). */
  threshold: optional(refine(num, (t) => t >= 0 && t <= 1)),
  /** The fairness entry shown (`sex`, `sex_X_race`). */
  fairness: optional(str),
  /** The rate drawn across decision thresholds on the fairness tab. */
  fairnessRate: optional(str),
});
export type EvaluationState = Infer<typeof isEvaluationState>;

/** What the page shows after each render, for the tests and the log. */
const isRenderedEvaluation = object({
  tab: isTab,
  /** Rows of the slice table (after the minimum-count filter). */
  sliceRows: int,
  /** Of those, rows marked significantly worse than Overall. */
  flagged: int,
  /** Charts drawn: `slices`, `roc`, `pr`, `calibration`, `fairness-thresholds`. */
  charts: array(str),
  /** Binary: the confusion counts at the slider's threshold, for the chosen slice. */
  confusion: nullable(object({ slice: str, threshold: num, tp: num, fp: num, tn: num, fn: num })),
  /** Blessing checks listed. */
  checks: int,
});
export type RenderedEvaluation = Infer<typeof isRenderedEvaluation>;

export const isToWebviewMessage = messages({
  view: isEvaluationView,
  /** No evaluation to show (not evaluated, not yet, unreadable): a message and a hint. */
  empty: object({ runId: int, message: str }),
});
export type ToWebviewMessage = Infer<typeof isToWebviewMessage>;

export const isFromWebviewMessage = fromPage({
  ready: object({ runId: nullable(int) }),
  exportChart: isChartExport,
  rendered: isRenderedEvaluation,
});
export type FromWebviewMessage = Infer<typeof isFromWebviewMessage>;

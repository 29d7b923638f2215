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
import type { Blessing, EvaluationReport } from '../core/evaluate/report';
import { arrayOf, hasFields, isBool, isInt, isNum, isObj, isStr, optional, orNull, recordsOf, type Check } from './guards';
import { isPageLog, type PageLog } from './contract';

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

/** Which way a metric is better: `one` is "closer to 1" (calibration); `neutral` has no better side (counts, rates of the data). */
export type MetricDirection = 'higher' | 'lower' | 'one' | 'neutral';

export interface EvaluationView {
  runId: number;
  pipeline: string;
  runStatus: string;
  /** The evaluation.json shown, as the user reads its path. */
  file: string;
  report: EvaluationReport;
  /** The slices' metric keys in the order the panel shows them: headline metrics first. */
  metrics: string[];
  /** The better direction of every metric, rate and fairness measure in the report. */
  directions: Record<string, MetricDirection>;
  /** The registry version this run's model became, with its aliases now (absent: never registered). */
  registered?: { model: string; version: number; aliases: string[]; inProduction: boolean };
}

export const EVALUATION_TABS = ['overview', 'slices', 'plots', 'fairness', 'blessing'] as const;
export type EvaluationTab = (typeof EVALUATION_TABS)[number];

/** The slice table's order: a metric key, or `:name`, `:count`, `:flagged`. */
export interface SliceSort {
  column: string;
  descending: boolean;
}

/** What the webview keeps with `setState` (it survives hiding and reloads); the serializer reopens `runId`. */
export interface EvaluationState {
  runId: number;
  tab?: EvaluationTab;
  sort?: SliceSort;
  /** Slices with fewer rows are hidden from the table and the chart. */
  minCount?: number;
  /** The metric of the slices-overview chart. */
  chartMetric?: string;
  /** The slice whose ROC, PR, calibration and confusion matrix are drawn. */
  slice?: string;
  /** The confusion matrix's decision threshold (binary). */
  threshold?: number;
  /** The fairness entry shown (`sex`, `sex_X_race`). */
  fairness?: string;
  /** The rate drawn across decision thresholds on the fairness tab. */
  fairnessRate?: string;
}

/** What the page shows after each render, for the tests and the log. */
export interface RenderedEvaluation {
  tab: EvaluationTab;
  /** Rows of the slice table (after the minimum-count filter). */
  sliceRows: number;
  /** Of those, rows marked significantly worse than Overall. */
  flagged: number;
  /** Charts drawn: `slices`, `roc`, `pr`, `calibration`, `fairness-thresholds`. */
  charts: string[];
  /** Binary: the confusion counts at the slider's threshold, for the chosen slice. */
  confusion: { slice: string; threshold: number; tp: number; fp: number; tn: number; fn: number } | null;
  /** Blessing checks listed. */
  checks: number;
}

export const enum ToWebviewType {
  View = 'view',
  Empty = 'empty',
}

export const enum FromWebviewType {
  Ready = 'ready',
  ExportChart = 'exportChart',
  Rendered = 'rendered',
}

export type ToWebviewMessage =
  | { type: ToWebviewType.View; payload: EvaluationView }
  /** No evaluation to show (not evaluated, not yet, unreadable): a message and a hint. */
  | { type: ToWebviewType.Empty; payload: { runId: number; message: string } };

export type FromWebviewMessage =
  | { type: FromWebviewType.Ready; payload: { runId: number | null } }
  /** `data`: SVG text, or a PNG `data:image/png;base64,` URL. */
  | { type: FromWebviewType.ExportChart; payload: { chart: string; format: 'svg' | 'png'; data: string } }
  | { type: FromWebviewType.Rendered; payload: RenderedEvaluation }
  | PageLog;

// ---------------------------------------------------------------------------------------------

const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);
const isRecordOf = (check: Check) => (v: unknown) => isObj(v) && Object.values(v).every(check);
const isMetricValues = isRecordOf(orNull(isNum));
const isInterval = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every(isNum);
/** Curve thresholds can be ±Infinity at the ends, which JSON writes as null. */
const isCurveThreshold = orNull(isNum);

const isThresholdPoint = (v: unknown) =>
  hasFields(v, { threshold: isNum, tp: isNum, fp: isNum, tn: isNum, fn: isNum, precision: orNull(isNum), recall: orNull(isNum), fpr: orNull(isNum) });

const isPlots = (v: unknown) =>
  hasFields(v, {
    thresholds: optional(arrayOf(isThresholdPoint)),
    roc: optional(recordsOf({ fpr: isNum, tpr: isNum, threshold: isCurveThreshold })),
    pr: optional(recordsOf({ recall: isNum, precision: isNum, threshold: isCurveThreshold })),
    calibration: optional(recordsOf({ lower: isNum, upper: isNum, count: isNum, meanPrediction: isNum, meanLabel: isNum })),
    confusionMatrix: optional(arrayOf(arrayOf(isNum))),
  });

const isSliceResult = (v: unknown) =>
  hasFields(v, {
    name: isStr,
    spec: isStr,
    features: isRecordOf(isStr),
    count: isInt,
    metrics: isMetricValues,
    intervals: optional(isRecordOf(isInterval)),
    baseline: optional(isMetricValues),
    worse: arrayOf(isStr),
    belowMinSize: isBool,
    plots: optional(isPlots),
  });

const isModelRef = (v: unknown) =>
  hasFields(v, { label: isStr, runId: optional(isInt), model: optional(isStr), version: optional(isInt), uri: isStr, weightsHash: isStr });

const RATE_FIELDS = { selection_rate: orNull(isNum), tpr: orNull(isNum), fpr: orNull(isNum), fnr: orNull(isNum), tnr: orNull(isNum) };
const isPair = (v: unknown) => hasFields(v, { difference: orNull(isNum), ratio: orNull(isNum) });

const isGroupMetrics = (v: unknown) =>
  hasFields(v, { group: isStr, values: isRecordOf(isStr), count: isInt, rates: optional((r) => hasFields(r, RATE_FIELDS)), metrics: isMetricValues });

const isFairnessReport = (v: unknown) =>
  hasFields(v, {
    name: isStr,
    sensitive: arrayOf(isStr),
    threshold: isNum,
    overall: isGroupMetrics,
    groups: arrayOf(isGroupMetrics),
    disparities: isRecordOf((d) =>
      hasFields(d, { difference: orNull(isNum), ratio: orNull(isNum), differenceToOverall: orNull(isNum), ratioToOverall: orNull(isNum) }),
    ),
    demographicParity: optional(isPair),
    equalizedOdds: optional(isPair),
    equalOpportunity: optional(isPair),
    atThresholds: optional(
      recordsOf({
        threshold: isNum,
        groups: recordsOf({ group: isStr, ...RATE_FIELDS }),
        demographicParityDifference: orNull(isNum),
        equalizedOddsDifference: orNull(isNum),
      }),
    ),
  });

const isThresholdCheck = (v: unknown) =>
  hasFields(v, {
    metric: isStr,
    slice: isStr,
    kind: oneOf('value', 'change'),
    outcome: oneOf('passed', 'failed', 'skipped'),
    value: orNull(isNum),
    baseline: optional(orNull(isNum)),
    change: optional(orNull(isNum)),
    lower: optional(isNum),
    upper: optional(isNum),
    absolute: optional(isNum),
    relative: optional(isNum),
    direction: optional(oneOf('higher', 'lower')),
    reason: isStr,
  });

export const isBlessing = (v: unknown): v is Blessing => hasFields(v, { blessed: isBool, baseline: optional(isStr), checks: arrayOf(isThresholdCheck) });

/** The whole artifact, checked field by field (a file from another version, or hand-edited, is refused). */
export function isEvaluationReport(v: unknown): v is EvaluationReport {
  return hasFields(v, {
    format: (f) => f === EVALUATION_FORMAT,
    version: isInt,
    task: oneOf('binary', 'multiclass', 'regression'),
    classes: optional(arrayOf(isStr)),
    decisionThreshold: isNum,
    data: (d) => hasFields(d, { source: isStr, rows: isInt, skippedRows: isInt }),
    candidate: isModelRef,
    baseline: optional(isModelRef),
    minSliceSize: isInt,
    bootstrap: optional((b) => hasFields(b, { samples: isInt, confidence: isNum, seed: isNum })),
    overall: isSliceResult,
    slices: arrayOf(isSliceResult),
    fairness: arrayOf(isFairnessReport),
    blessing: isBlessing,
  });
}

const isDirection = oneOf('higher', 'lower', 'one', 'neutral');

export function isEvaluationView(v: unknown): v is EvaluationView {
  return hasFields(v, {
    runId: isInt,
    pipeline: isStr,
    runStatus: isStr,
    file: isStr,
    report: isEvaluationReport,
    metrics: arrayOf(isStr),
    directions: isRecordOf(isDirection),
    registered: optional((r) => hasFields(r, { model: isStr, version: isInt, aliases: arrayOf(isStr), inProduction: isBool })),
  });
}

export function isToWebviewMessage(m: unknown): m is ToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case ToWebviewType.View:
      return isEvaluationView(m.payload);
    case ToWebviewType.Empty:
      return hasFields(m.payload, { runId: isInt, message: isStr });
    default:
      return false;
  }
}

const isTab = oneOf(...EVALUATION_TABS);
const isSort = (v: unknown) => hasFields(v, { column: isStr, descending: isBool });

const isRendered = (v: unknown) =>
  hasFields(v, {
    tab: isTab,
    sliceRows: isInt,
    flagged: isInt,
    charts: arrayOf(isStr),
    confusion: orNull((c) => hasFields(c, { slice: isStr, threshold: isNum, tp: isNum, fp: isNum, tn: isNum, fn: isNum })),
    checks: isInt,
  });

export function isFromWebviewMessage(m: unknown): m is FromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case FromWebviewType.Ready:
      return hasFields(m.payload, { runId: orNull(isInt) });
    case FromWebviewType.ExportChart:
      return hasFields(m.payload, { chart: isStr, format: oneOf('svg', 'png'), data: isStr });
    case FromWebviewType.Rendered:
      return isRendered(m.payload);
    default:
      return false;
  }
}

export function isEvaluationState(s: unknown): s is EvaluationState {
  return hasFields(s, {
    runId: (id) => isInt(id) && id > 0,
    tab: optional(isTab),
    sort: optional(isSort),
    minCount: optional((n) => isInt(n) && n >= 0),
    chartMetric: optional(isStr),
    slice: optional(isStr),
    threshold: optional((t) => isNum(t) && t >= 0 && t <= 1),
    fairness: optional(isStr),
    fairnessRate: optional(isStr),
  });
}

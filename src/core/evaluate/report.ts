/**
 * The evaluation artifact's format (`evaluation.json`), which is also what the evaluation panel
 * shows (src/shared/evaluation.ts re-exports it). Plain JSON data with no imports, so the webview
 * contract can use it. Metric names follow TFMA (`auc`, `auc_pr`, `log_loss`, ...); a metric that
 * cannot be computed on some rows (AUC of a slice holding one class) is `null`, never NaN.
 */

export const EVALUATION_FORMAT = 'mlops-evaluation';
export const EVALUATION_VERSION = 1;

export type EvaluationTask = 'binary' | 'multiclass' | 'regression';

/** Metric name → value; `null` when it cannot be computed on these rows. */
export type MetricValues = Record<string, number | null>;

export interface EvaluationReport {
  format: typeof EVALUATION_FORMAT;
  version: number;
  task: EvaluationTask;
  /** Classifiers: class names in output order (binary: [negative, positive]). */
  classes?: string[];
  /** Binary: the score at or above which a row is predicted positive. */
  decisionThreshold: number;
  /** What was evaluated: "split eval of run #12" or a CSV path, with its row counts. */
  data: { source: string; rows: number; skippedRows: number };
  candidate: ModelRef;
  /** The model the candidate is compared with (production, else the latest blessed version). */
  baseline?: ModelRef;
  /** Slices with fewer rows keep their count but no metrics (TFMA's min_slice_size). */
  minSliceSize: number;
  /** Set when confidence intervals were computed (Poisson bootstrap, seeded). */
  bootstrap?: { samples: number; confidence: number; seed: number };
  overall: SliceResult;
  /** Every other slice: in the order the slice specs are written, values sorted within a spec. */
  slices: SliceResult[];
  fairness: FairnessReport[];
  blessing: Blessing;
}

export interface ModelRef {
  /** How people name it: "run #12", "taxi@3 (production)". */
  label: string;
  runId?: number;
  model?: string;
  version?: number;
  /** The model package folder. */
  uri: string;
  weightsHash: string;
}

export interface SliceResult {
  /** TFMA slice name: `Overall`, `trip_start_hour:3`, `payment_type_X_company:Cash_X_Flash Cab`. */
  name: string;
  /** The slice spec it belongs to: `Overall`, `trip_start_hour`, `payment_type_X_company`. */
  spec: string;
  /** Feature → value (as text; a bucketed numeric feature gives its bucket, e.g. `[1.5, 3)`). */
  features: Record<string, string>;
  count: number;
  /** Empty when the slice is below the minimum size. */
  metrics: MetricValues;
  /** Bootstrap confidence interval per metric, when computed. */
  intervals?: Record<string, [number, number]>;
  /** The baseline model's metrics on the same rows, when there is a baseline. */
  baseline?: MetricValues;
  /** Metrics on which this slice is significantly worse than Overall (its interval lies wholly on the bad side of Overall's value). */
  worse: string[];
  belowMinSize: boolean;
  plots?: SlicePlots;
}

export interface SlicePlots {
  /** Binary: confusion counts at thresholds 0, 0.01, ..., 1 (TFMA's confusion matrix at thresholds; the panel's slider). */
  thresholds?: ThresholdPoint[];
  /**
   * Binary: the exact ROC curve, down-sampled to at most a few hundred points, from (0,0) to (1,1).
   * The end points' thresholds are ±Infinity, which the JSON file holds as null.
   */
  roc?: { fpr: number; tpr: number; threshold: number | null }[];
  /** Binary: the exact precision-recall curve, down-sampled likewise, in increasing recall. */
  pr?: { recall: number; precision: number; threshold: number | null }[];
  /** Binary and regression: mean prediction against mean label in equal-width prediction buckets. */
  calibration?: CalibrationBucket[];
  /** Multiclass: counts[actual][predicted], in `classes` order. */
  confusionMatrix?: number[][];
}

export interface ThresholdPoint {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  fpr: number | null;
}

export interface CalibrationBucket {
  lower: number;
  upper: number;
  count: number;
  meanPrediction: number;
  meanLabel: number;
}

/** Fairlearn's MetricFrame over the groups of one sensitive feature or an intersection of several. */
export interface FairnessReport {
  /** `sex`, or `sex_X_race` for an intersection. */
  name: string;
  sensitive: string[];
  /** The decision threshold the group rates below use (the evaluation's). */
  threshold: number;
  overall: GroupMetrics;
  groups: GroupMetrics[];
  /**
   * Per rate and model metric: `difference` = max − min over groups, `ratio` = min / max,
   * `differenceToOverall` = max |group − overall|, `ratioToOverall` = min over groups of
   * min(group / overall, overall / group). Null when fewer than two groups have a value.
   */
  disparities: Record<string, Disparity>;
  /** Binary only: on selection rate. */
  demographicParity?: { difference: number | null; ratio: number | null };
  /** Binary only: the worse of the TPR and FPR disparities. */
  equalizedOdds?: { difference: number | null; ratio: number | null };
  /** Binary only: on TPR. */
  equalOpportunity?: { difference: number | null; ratio: number | null };
  /** Binary only: rates per group at several decision thresholds (TF Fairness Indicators). */
  atThresholds?: FairnessAtThreshold[];
}

export interface Disparity {
  difference: number | null;
  ratio: number | null;
  differenceToOverall: number | null;
  ratioToOverall: number | null;
}

export interface GroupMetrics {
  /** The group's value (`Female`), `v1_X_v2` for an intersection, `Overall` for all rows. */
  group: string;
  values: Record<string, string>;
  count: number;
  /** Binary only: selection_rate, tpr, fpr, fnr, tnr at the decision threshold. */
  rates?: GroupRates;
  /** The model metrics of the task on the group's rows. */
  metrics: MetricValues;
}

export interface GroupRates {
  selection_rate: number | null;
  tpr: number | null;
  fpr: number | null;
  fnr: number | null;
  tnr: number | null;
}

export interface FairnessAtThreshold {
  threshold: number;
  groups: ({ group: string } & GroupRates)[];
  demographicParityDifference: number | null;
  equalizedOddsDifference: number | null;
}

/** The gate's verdict: blessed only when no check failed (skipped checks do not count). */
export interface Blessing {
  blessed: boolean;
  /** Label of the baseline the change thresholds compared with, if any. */
  baseline?: string;
  checks: ThresholdCheck[];
}

export interface ThresholdCheck {
  metric: string;
  /** The slice (`Overall`, `trip_start_hour:3`) or, for a fairness metric, the sensitive feature name. */
  slice: string;
  kind: 'value' | 'change';
  outcome: 'passed' | 'failed' | 'skipped';
  /** The candidate's value of the metric (null when it could not be computed). */
  value: number | null;
  /** Change checks: the baseline's value and candidate − baseline. */
  baseline?: number | null;
  change?: number | null;
  /** Value checks: inclusive bounds. */
  lower?: number;
  upper?: number;
  /** Change checks: bounds on the absolute and relative change, read in `direction`. */
  absolute?: number;
  relative?: number;
  direction?: 'higher' | 'lower';
  /** One line a person reads: "0.951 ≥ 0.9", "no baseline: change thresholds skipped". */
  reason: string;
}

import type { ComparatorThresholds } from '../schema/types';
import type { SourceLocation } from '../util/problems';

/**
 * A pipeline file after parsing and validation. Paths are absolute (resolved against the pipeline
 * file's folder); every user-written value that later code can reject keeps its source location so
 * that the rejection names the file, line and column.
 */
export interface PipelineConfig {
  name: string;
  /** Absolute path of the pipeline file. */
  file: string;
  /** Folder of the pipeline file: relative paths in it resolve from here. */
  dir: string;
  /** sha256 of the file's bytes, recorded with every run. */
  hash: string;
  /** The file's text as parsed (what `hash` digests): stored with each run, so the run can be reproduced after an edit. */
  text: string;
  data: DataConfig;
  features: FeaturesConfig;
  label?: Located<string>;
  seed: number;
  /** Features absent per environment, e.g. `serving` → the label. */
  environments: Record<string, Located<string>[]>;
  /** Set when the pipeline computes statistics (asked for, or needed by schema/validate). */
  statistics?: StatisticsConfig;
  /** The data schema file (absolute); set when the pipeline infers or checks a schema. */
  schema?: Located<string>;
  validate?: ValidateConfig;
  /** Set when the pipeline transforms features (asked for, or needed by train). */
  transform?: TransformConfig;
  train?: TrainConfig;
  /** `train: { step: NAME }`: a custom step trains the model (its ONNX model is the pipeline's model). */
  trainStep?: TrainStepConfig;
  /** Set when the pipeline evaluates the trained model (asked for, or needed by push). */
  evaluate?: EvaluateConfig;
  push?: PushConfig;
  /** Monitoring of served traffic (`mlops monitor`); not a component, `mlops run` never runs it. */
  monitor?: MonitorConfig;
  /** What makes `mlops watch` run the pipeline (defaults when the file has no `triggers:`); `mlops run` ignores it. */
  triggers: TriggersConfig;
  steps: StepConfig[];
}

export interface StatisticsConfig {
  slices: string[][];
  categorical: string[];
  location: SourceLocation;
}

export interface ValidateConfig {
  drift: Record<string, ComparatorThresholds>;
  skew: Record<string, ComparatorThresholds>;
  stopOn: 'error' | 'warning' | 'never';
  location: SourceLocation;
}

/**
 * How raw columns become model inputs. Every example column except the label, the columns absent in
 * the `serving` environment and the ones marked `drop` is an input; a column the file does not name
 * gets the default for its type (see transform/defaults.ts).
 */
export interface TransformConfig {
  /** Per column (or, for a cross, per new feature name), in file order. */
  features: Located<FeatureTransformSpec>[];
  location: SourceLocation;
}

export type NumericFill = number | 'mean' | 'median' | 'zero';
/** Absent in a spec: one-hot up to 32 ids, an embedding above (transform/defaults.ts). */
export type CategoricalEncoding = 'onehot' | 'embedding';

/** One entry of `transform:` after expanding shorthands (`fare: zscore`, `trip_miles: { bucketize: 10 }`). */
export type FeatureTransformSpec =
  | { kind: 'drop'; column: string }
  /** Numeric: fill missing, optional ln(1 + x), then scale. */
  | { kind: 'numeric'; column: string; fill: NumericFill; log: boolean; scale: 'zscore' | 'minmax' | 'none' }
  /** Numeric to a quantile bucket id (fewer buckets when the column has few distinct values). */
  | { kind: 'bucketize'; column: string; buckets: number; fill: NumericFill; encoding?: CategoricalEncoding; embeddingDim?: number }
  /** Categorical through a vocabulary fitted on the training split (TFT ordering and OOV hashing). */
  | {
      kind: 'vocabulary';
      column: string;
      topK?: number;
      frequencyThreshold?: number;
      oovBuckets: number;
      encoding?: CategoricalEncoding;
      embeddingDim?: number;
    }
  /** Categorical hashed into a fixed number of buckets (no analyzer). */
  | { kind: 'hash'; column: string; buckets: number; encoding?: CategoricalEncoding; embeddingDim?: number }
  /** A new feature: the crossed values of several columns hashed into buckets. */
  | { kind: 'cross'; name: string; columns: string[]; buckets: number; encoding?: CategoricalEncoding; embeddingDim?: number };

export type ModelType = 'linear' | 'dnn' | 'wide_deep';
export type TaskType = 'binary' | 'multiclass' | 'regression';

export interface ModelConfig {
  type: ModelType;
  /** Hidden layer sizes of the DNN (and of the deep part of wide & deep). */
  hidden: number[];
  activation: 'relu' | 'elu' | 'selu' | 'tanh' | 'sigmoid' | 'gelu';
  dropout: number;
  batchNorm: boolean;
  /** Default width of embeddings whose transform does not name one. */
  embeddingDim?: number;
}

export interface TrainConfig {
  model: ModelConfig;
  /** Inferred from the label when not written: 2 values → binary, a few strings/ints → multiclass, else regression. */
  task?: TaskType;
  optimizer: 'adam' | 'sgd' | 'momentum' | 'rmsprop' | 'adagrad';
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** `balanced` weighs classes by n / (k * count); a map gives a weight per label value. */
  classWeights?: 'balanced' | Record<string, number>;
  l2: number;
  /** Metrics besides the loss, e.g. auc, accuracy, precision, recall, mae, rmse (defaults per task). */
  metrics?: string[];
  earlyStopping?: { monitor: string; patience: number; mode: 'min' | 'max'; minDelta: number; restoreBest: boolean };
  /** Log the training loss every this many batches (0: per epoch only). */
  logEveryBatches: number;
  /** `auto` picks tfjs-node, else wasm, else cpu. */
  backend: 'auto' | 'node' | 'wasm' | 'cpu';
  tune?: TuneConfig;
  location: SourceLocation;
}

export interface TrainStepConfig {
  step: string;
  task?: TaskType;
  location: SourceLocation;
}

export interface TuneConfig {
  strategy: 'random' | 'grid' | 'hyperband';
  /** Random search: how many trials. Grid: a cap (the grid is enumerated in order). Hyperband: ignored. */
  trials: number;
  /** Trials run side by side in this many worker processes. */
  parallel: number;
  objective: { metric: string; direction: 'min' | 'max' };
  /** Search space keyed by a train setting's path, e.g. `learning_rate`, `model.hidden`, `model.dropout`. */
  space: Record<string, Located<SearchDimension>>;
  /** Hyperband: the most epochs one trial gets, and the reduction factor between rungs. */
  maxEpochs: number;
  eta: number;
  location: SourceLocation;
}

export type SearchDimension =
  | { kind: 'choice'; values: unknown[] }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'log'; low: number; high: number }
  | { kind: 'int'; low: number; high: number; step: number };

/**
 * Model analysis with TFMA semantics (REFERENCE.md): metrics overall and per slice, fairness per
 * sensitive group, and the thresholds that bless the model. Every list entry keeps its location so a
 * slice on a missing feature or a threshold on a metric the task lacks is reported where written.
 */
export interface EvaluateConfig {
  /** The examples split evaluated (default `eval`). */
  split: string;
  /** Binary: scores at or above are predicted positive (default 0.5). */
  decisionThreshold: number;
  /** Slices besides Overall, in file order. */
  slices: Located<SliceSpec>[];
  /** Slices with fewer rows keep their count but get no metrics (default 1). */
  minSliceSize: number;
  /** Poisson-bootstrap confidence intervals (default 100 samples, 0.95); undefined when turned off. */
  bootstrap?: { samples: number; confidence: number };
  fairness?: FairnessConfig;
  thresholds: Located<ThresholdSpec>[];
  location: SourceLocation;
}

/** `[]` is Overall; one feature gives `f:v` slices; several give the cross `a_X_b:v1_X_v2`. */
export interface SliceSpec {
  features: string[];
  /** Restricts a feature to these values (as text). */
  values?: Record<string, string[]>;
  /** Buckets a numeric feature into this many quantile buckets of the evaluated rows. */
  buckets?: Record<string, number>;
}

export interface FairnessConfig {
  /** Each entry is one sensitive feature, or several whose intersection forms the groups. */
  sensitive: Located<string[]>[];
  /** Binary: the decision thresholds Fairness Indicators reports rates at (default 0.1 … 0.9). */
  thresholds: number[];
  location: SourceLocation;
}

/**
 * One metric's bounds. A value threshold passes when lower <= value <= upper; a change threshold is
 * read on candidate − baseline in the metric's direction (higher is better for auc, lower for
 * log_loss, ...) and is skipped when there is no baseline. Fairness metrics
 * (`demographic_parity_difference`, ...) apply to every sensitive entry.
 */
export interface ThresholdSpec {
  metric: string;
  /** Which slices it applies to: Overall (default), every slice, or named slices/specs. */
  slices: 'overall' | 'all' | string[];
  lower?: number;
  upper?: number;
  change?: { absolute?: number; relative?: number; direction: 'higher' | 'lower' };
}

/** TFX Pusher: a blessed model is registered, copied to `<destination>/<version>/` and aliased. */
export interface PushConfig {
  /** Registry model name (default: the pipeline's name). */
  model: string;
  /** Absolute base folder of pushed versions; undefined: `serving/<model>` beside the run store. */
  destination?: string;
  /** The alias the pushed version gets (default `production`). */
  alias: string;
  location: SourceLocation;
}

export type MonitorAction = 'notify' | 'retrain' | 'rollback';

/**
 * Windows of the server's sampled request log compared with what the served version was trained and
 * evaluated on: feature drift against its training statistics, drift of its predictions against its
 * offline predictions, online metrics from ground truth against its offline evaluation.
 */
export interface MonitorConfig {
  /** A window is this many served rows of one version, or the rows of one version served in `ms` (epoch-aligned). */
  window: { rows: number } | { ms: number; text: string };
  /** Fewer rows in a window (labelled rows, for the metrics): reported but not checked. */
  minRows: number;
  /** Per-feature thresholds that replace validate.skew, the schema's skew and drift thresholds. */
  drift: Record<string, ComparatorThresholds>;
  /** Thresholds for the score and the predicted class (default: Evidently's automatic choice). */
  predictionDrift: ComparatorThresholds;
  /** Bounds on online metrics; `change` is read against the served version's offline evaluation. */
  metrics: Located<ThresholdSpec>[];
  actions: MonitorAction[];
  location: SourceLocation;
}

/** `triggers:`: what `mlops watch` runs the pipeline on, besides monitoring alerts with the retrain action. */
export interface TriggersConfig {
  /** A new file matching data.train, once its size has stayed the same for `settleMs`. */
  spans: boolean;
  settleMs: number;
  /** A cron expression (croner; local time). */
  schedule?: Located<string>;
  /** The `triggers:` key; undefined when the file has none. */
  location?: SourceLocation;
}

export interface DataConfig {
  /** Absolute glob or path: each matching file is one span, ordered by name. */
  train: Located<string>;
  /** Evaluation data: given files, or a deterministic hash split of the training spans. */
  eval: { files: Located<string> } | { split: { fraction: number; seed: number } };
  /** Optional serving data (absolute glob or path), for training-serving skew. */
  serving?: Located<string>;
  /** Cell values that mean "missing". The empty cell is always missing. */
  missing: string[];
  delimiter: string;
  /** Column names when the files have no header row; undefined means the first row is the header. */
  columns?: string[];
  /** A run fails when more rows than this are bad (a fraction below 1 is a share of all rows). */
  maxBadRows: number;
  /** Where `max_bad_rows` is written (or the `data:` section, when it is the default). */
  maxBadRowsLocation?: SourceLocation;
}

export interface FeaturesConfig {
  derive: { name: string; expression: Located<string> }[];
  exclude: Located<string>[];
}

export interface StepConfig {
  name: string;
  run: string;
  after: string[];
  /** Absolute working directory (default: the pipeline file's folder). */
  cwd: string;
  env: Record<string, string>;
  /** Declared inputs and outputs: name -> absolute path (file or folder). */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  /** Outputs declared as models (`{format: onnx, path, signature}`), by output name. */
  models: Record<string, { flavor: 'onnx'; signature?: Record<string, unknown> }>;
  /** Absolute path of a JSON file the step writes: `{ "name": number | [number, ...] }`. */
  metrics?: string;
  location: SourceLocation;
}

/** A value with where it was written, for messages that point at the source. */
export interface Located<T> {
  value: T;
  location: SourceLocation;
}

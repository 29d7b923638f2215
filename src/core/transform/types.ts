import type { CategoricalEncoding } from '../pipeline/config';
import type { ColumnType } from '../data/cells';

/**
 * The fitted transform: every analyzer's result (means, vocabularies, bucket boundaries) as constants,
 * saved as readable JSON in the transform artifact and again inside the model package. One function,
 * `transformRow` (row.ts), applies it to a raw row in training, evaluation, batch prediction and
 * serving, so an offline prediction and a served one see the same numbers.
 */
export const TRANSFORM_FORMAT = 'mlops-transform';
export const TRANSFORM_VERSION = 1;

export interface FittedTransform {
  format: typeof TRANSFORM_FORMAT;
  version: number;
  /** The raw columns a request must (or may) carry, with the type ingest inferred. */
  inputs: RawInput[];
  features: FittedFeature[];
  label?: LabelEncoding;
  layout: FeatureLayout;
  /**
   * `features.derive` columns, in declaration order: ingest computed them for the training data;
   * the raw-row path (serving) computes them from the request with the same expressions, so a
   * request carries raw columns only.
   */
  derived?: DerivedColumn[];
  /** Rows of the training split the analyzers saw. */
  fittedOn: { split: string; rows: number };
  /** Text values that mean "missing" in raw rows, as at ingest (the empty string always does). */
  missing?: string[];
}

export interface RawInput {
  name: string;
  type: ColumnType;
  /** False when the column may be missing (it is filled); inputs are never strictly required. */
  required: boolean;
}

export interface DerivedColumn {
  name: string;
  type: ColumnType;
  expression: string;
  /** Columns the expression reads, with their type when the examples have it. */
  reads: { name: string; type?: ColumnType }[];
}

/** One fitted feature; `slot` indexes `numeric` or `categorical` in the transformed row. */
export type FittedFeature =
  | { kind: 'numeric'; column: string; slot: number; fill: number; log: boolean; scale: NumericScale }
  /** A bool column becomes 0/1 (missing → fill). */
  | { kind: 'bool'; column: string; slot: number; fill: number }
  /** Bucket i when boundaries[i-1] <= v < boundaries[i]; size = boundaries.length + 1. */
  | { kind: 'bucketize'; column: string; slot: number; fill: number; boundaries: number[] }
  /** Id = index in `vocabulary`; OOV → vocabulary.length + hash(token) % oovBuckets, or -1 with none. */
  | { kind: 'vocabulary'; column: string; slot: number; vocabulary: string[]; oovBuckets: number }
  | { kind: 'hash'; column: string; slot: number; buckets: number }
  | { kind: 'cross'; name: string; columns: string[]; slot: number; buckets: number };

export type NumericScale = { type: 'zscore'; mean: number; std: number } | { type: 'minmax'; min: number; max: number } | { type: 'none' };

/** What the model's input layers look like. */
export interface FeatureLayout {
  /** Float inputs, in slot order. */
  numeric: { name: string }[];
  /** One integer id per entry, in slot order; -1 means "no id" (all-zero one-hot / zero embedding). */
  categorical: CategoricalSlot[];
}

export interface CategoricalSlot {
  name: string;
  /** Ids are 0 .. size-1. */
  size: number;
  encoding: CategoricalEncoding;
  /** For `embedding`. */
  embeddingDim?: number;
}

export type LabelEncoding =
  /** The positive class is `positive`; anything else equal to `negative` is 0. */
  (
    | { task: 'binary'; column: string; negative: string; positive: string }
    /** Class index = position in `classes` (sorted: numbers numerically, strings lexicographically). */
    | { task: 'multiclass'; column: string; classes: string[] }
    | { task: 'regression'; column: string }
  ) & {
    /** The label column's type, to parse raw label values (serving requests, CSV text) as ingest does. */
    type?: ColumnType;
  };

/** A raw example as serving receives it: column name → value (missing: absent, null or ""). */
export type RawRow = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** One transformed example, written into caller-provided arrays at `offset * width`. */
export interface TransformedRowTarget {
  numeric: Float32Array;
  categorical: Int32Array;
  offset: number;
}

/**
 * A batch of transformed examples as the trainer consumes them: row-major, `size` rows.
 * `label` holds 0/1 (binary), the class index (multiclass) or the value (regression); `weight` the
 * class weight of each row (1 when none are configured).
 */
export interface TransformedBatch {
  size: number;
  numeric: Float32Array;
  categorical: Int32Array;
  label: Float32Array;
}

/** A split of transformed examples on disk, read in batches without loading it whole. */
export interface TransformedSplit {
  readonly rows: number;
  readonly layout: FeatureLayout;
  /**
   * Every row once per call, in `batchSize` batches. With `shuffle`, the order is a deterministic
   * function of (seed, epoch) and memory stays bounded (block order permuted, rows shuffled within
   * a bounded buffer), so the same seed gives the same batches on every machine.
   */
  batches(options: { batchSize: number; shuffle?: { seed: number; epoch: number } }): AsyncGenerator<TransformedBatch>;
}

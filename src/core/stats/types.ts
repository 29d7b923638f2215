/**
 * Dataset statistics, shaped after TFDV's DatasetFeatureStatistics (REFERENCE.md, "Statistics") so
 * users can map every figure to what they know. Written as the `Statistics` artifact
 * (`statistics.json`), read by schema inference, validation, the comparators and the panels.
 */
import type { ColumnType } from '../data/cells';

export const STATISTICS_FORMAT = 'mlops-statistics';
export const STATISTICS_VERSION = 1;

export interface StatisticsFile {
  format: typeof STATISTICS_FORMAT;
  version: typeof STATISTICS_VERSION;
  /**
   * One entry per split, then its spans, then its slices. From the examples artifact every span of
   * a split has its own dataset (`train/<span>`); from CSV (`mlops stats`) only when a glob matches
   * several files (each file is a span). Slices are computed for whole splits, not per span.
   */
  datasets: DatasetStatistics[];
}

export interface DatasetStatistics {
  /** `train`, `eval`, `serving`, `train/<span name>`, or for a slice `train|payment_type:Cash`. */
  name: string;
  split: string;
  /** Set for a span's own statistics; absent for the whole split. */
  span?: string;
  /** Set for a slice: `[feature, value]` pairs, TFMA-style name `a_X_b:v1_X_v2` in `name`. */
  slice?: { feature: string; value: string }[];
  numExamples: number;
  features: FeatureStatistics[];
}

export interface FeatureStatistics {
  name: string;
  type: ColumnType;
  /** Examples where the feature has a value / is missing (null or empty cell). */
  numPresent: number;
  numMissing: number;
  /** Numeric statistics: int, float and bool (0/1) features. */
  numeric?: NumericStatistics;
  /** Categorical statistics: string and bool features, and int features marked categorical. */
  categorical?: CategoricalStatistics;
}

export interface NumericStatistics {
  /** Over finite values only; NaN and ±inf are counted apart. */
  mean: number;
  /** Population standard deviation (divide by n), as TFDV. */
  stdDev: number;
  numZeros: number;
  min: number;
  median: number;
  max: number;
  numNan: number;
  numPosInf: number;
  numNegInf: number;
  /** 10 equal-width buckets over the finite min..max. */
  histogram: Histogram;
  /** 10 equal-count buckets (boundaries from the quantile sketch). */
  quantiles: Histogram;
  /** The sketch's relative rank error bound, e.g. 0.01: median and quantiles are within it. */
  rankError: number;
  /**
   * The mergeable quantile sketch itself (opaque, versioned by the stats module), kept so that
   * comparators (KS, Wasserstein, JSD re-bucketing) and span merges need no second pass.
   */
  sketch: unknown;
}

export interface Histogram {
  buckets: { low: number; high: number; count: number }[];
}

export interface CategoricalStatistics {
  /** Distinct values: exact while below the sketch's capacity, else a K-minimum-values estimate. */
  unique: number;
  uniqueExact: boolean;
  /** Most frequent values, up to 20, by decreasing frequency. */
  topValues: { value: string; count: number }[];
  /**
   * Up to 1000 values with counts, by decreasing frequency: what L-infinity, chi-square and the
   * categorical JSD compare. Counts are exact when `rankHistogramExact`, else Misra-Gries lower bounds.
   */
  rankHistogram: { value: string; count: number }[];
  rankHistogramExact: boolean;
  /** Average length in UTF-8 bytes. */
  avgLength: number;
  numInvalidUtf8: number;
}

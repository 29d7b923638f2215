/**
 * The data schema: a readable JSON file in the workspace (`schema:` in the pipeline file), inferred
 * on the first run by TFDV's rules, then curated by the user. Its JSON Schema is
 * `resources/data-schema.schema.json`, contributed to VS Code for completion and validation.
 */
import type { ColumnType } from '../data/cells';

export const DATA_SCHEMA_VERSION = 1;

export interface DataSchema {
  $schema?: string;
  version: typeof DATA_SCHEMA_VERSION;
  features: Record<string, FeatureSchema>;
  /** Dataset-level bounds on the number of examples (DATASET_LOW/HIGH_NUM_EXAMPLES). */
  num_examples?: { min?: number; max?: number };
  /** Example count of a span against the previous span (COMPARATOR_LOW/HIGH_NUM_EXAMPLES). */
  num_examples_change?: { min_fraction?: number; max_fraction?: number };
}

export interface FeatureSchema {
  /** `bool` when the data is 0/1 or true/false. */
  type: ColumnType;
  /** Strings that all parse as integers (TFDV's int-encoded strings). */
  int_encoded?: boolean;
  /** Strings that must all parse as floats (FLOAT_TYPE_STRING_NOT_FLOAT); set by hand, never inferred. */
  float_encoded?: boolean;
  /** A required feature has `min_fraction: 1`; an optional one `min_count: 1`. */
  presence?: { min_fraction?: number; min_count?: number };
  /** Allowed string values (inferred for strings with at most 100 distinct values). */
  domain?: string[];
  /** Share of values allowed outside `domain` (default 0: any is an anomaly). */
  max_off_domain_fraction?: number;
  /** Numeric range; values outside are INT/FLOAT_TYPE_SMALL/BIG anomalies. */
  range?: { min?: number; max?: number };
  /** NaN allowed? Default false for float features. */
  allow_nan?: boolean;
  /** Distinct count bounds (FEATURE_TYPE_LOW/HIGH_UNIQUE). */
  unique?: { min?: number; max?: number };
  /** Treat an int feature as categorical (categorical statistics, L-infinity comparator). */
  categorical?: boolean;
  /** Environments this feature is absent from, e.g. `["serving"]` for the label. */
  not_in_environment?: string[];
  /** Comparator thresholds for drift (span vs previous span) and skew (training vs serving). */
  drift?: ComparatorThresholds;
  skew?: ComparatorThresholds;
  /** Severity of this feature's anomalies (default error). */
  severity?: 'error' | 'warning';
}

/** A comparator fires when its value is strictly greater than the threshold (p-value tests: below). */
export interface ComparatorThresholds {
  linf?: number;
  jsd?: number;
  psi?: number;
  wasserstein?: number;
  /** p-value threshold: fires when p <= this. */
  ks?: number;
  chi2?: number;
  /**
   * Evidently's choice of method: with at most 1000 rows on both sides the KS test (numeric with
   * more than 5 distinct values, p ≤ 0.05) or chi-square (categorical or few values, p ≤ 0.05); above,
   * where p-values flag everything, Wasserstein/std (> 0.1) or Jensen-Shannon (distance > 0.1).
   */
  auto?: boolean;
}

/**
 * What validation finds: anomalies (TFDV's types, REFERENCE.md "Anomalies") and comparator results
 * for drift and skew. Written as the `Anomalies` artifact (`anomalies.json`), shown in the
 * anomalies panel, the drift side panel and as diagnostics.
 */

export type AnomalyType =
  | 'SCHEMA_MISSING_COLUMN'
  | 'SCHEMA_NEW_COLUMN'
  | 'FEATURE_TYPE_LOW_FRACTION_PRESENT'
  | 'FEATURE_TYPE_LOW_NUMBER_PRESENT'
  | 'ENUM_TYPE_UNEXPECTED_STRING_VALUES'
  | 'UNEXPECTED_DATA_TYPE'
  | 'INT_TYPE_SMALL_INT'
  | 'INT_TYPE_BIG_INT'
  | 'FLOAT_TYPE_SMALL_FLOAT'
  | 'FLOAT_TYPE_BIG_FLOAT'
  | 'INT_TYPE_NOT_INT_STRING'
  | 'FLOAT_TYPE_STRING_NOT_FLOAT'
  | 'FLOAT_TYPE_HAS_NAN'
  | 'FEATURE_TYPE_HIGH_UNIQUE'
  | 'FEATURE_TYPE_LOW_UNIQUE'
  | 'COMPARATOR_L_INFTY_HIGH'
  | 'COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH'
  | 'COMPARATOR_PSI_HIGH'
  | 'COMPARATOR_WASSERSTEIN_HIGH'
  | 'COMPARATOR_KS_TEST'
  | 'COMPARATOR_CHI_SQUARED_TEST'
  | 'COMPARATOR_LOW_NUM_EXAMPLES'
  | 'COMPARATOR_HIGH_NUM_EXAMPLES'
  | 'DATASET_LOW_NUM_EXAMPLES'
  | 'DATASET_HIGH_NUM_EXAMPLES';

export interface Anomaly {
  /** The feature, or null for a dataset-level anomaly. */
  feature: string | null;
  type: AnomalyType;
  severity: 'error' | 'warning';
  /** TFDV's short description, e.g. "Unexpected string values". */
  shortDescription: string;
  /** The long description, e.g. "Examples contain values missing from the schema: Mobile (~12%), Prcard (<1%)." */
  description: string;
  /** The dataset the anomaly was found in (`eval`, `train/span-3`, `serving`). */
  dataset: string;
  /** Machine-readable facts for quick fixes: the unexpected values, the observed min/max, ... */
  details?: Record<string, unknown>;
}

export type ComparatorMethod = 'linf' | 'jsd' | 'psi' | 'wasserstein' | 'ks' | 'chi2';

export interface ComparatorResult {
  feature: string;
  kind: 'drift' | 'skew';
  method: ComparatorMethod;
  /** The distance, or for ks/chi2 the test statistic. */
  value: number;
  /** For ks and chi2: the p-value the threshold applies to. */
  pValue?: number;
  threshold?: number;
  fired: boolean;
  /** Set when `auto` picked this method (Evidently's rule by sample size and column kind). */
  auto?: boolean;
  /** For L-infinity: the value where the largest difference is reached. */
  at?: string;
  /** The two datasets compared: current (treatment) and reference (control). */
  current: string;
  reference: string;
}

export interface ValidationReport {
  format: 'mlops-anomalies';
  version: 1;
  environment: string;
  anomalies: Anomaly[];
  drift: ComparatorResult[];
  skew: ComparatorResult[];
}

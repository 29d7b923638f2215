import type { EvaluationTask } from './report';

/** TFMA's default binary-classification metrics, in the order reports list them. */
const BINARY_METRICS = [
  'example_count',
  'auc',
  'auc_pr',
  'accuracy',
  'precision',
  'recall',
  'f1',
  'log_loss',
  'mean_label',
  'mean_prediction',
  'calibration',
] as const;

/** Multiclass metrics besides the per-class `precision/<class>` and `recall/<class>`. */
const MULTICLASS_METRICS = ['example_count', 'accuracy', 'macro_f1', 'weighted_f1', 'log_loss'] as const;

const REGRESSION_METRICS = ['example_count', 'mae', 'rmse', 'r2', 'mape', 'mean_label', 'mean_prediction'] as const;

/** Fairlearn's summary metrics; binary only, a threshold on one applies to every sensitive entry. */
export const FAIRNESS_METRICS = [
  'demographic_parity_difference',
  'demographic_parity_ratio',
  'equalized_odds_difference',
  'equalized_odds_ratio',
  'equal_opportunity_difference',
  'equal_opportunity_ratio',
] as const;

const PER_CLASS = ['precision', 'recall'] as const;

export const perClassMetric = (kind: (typeof PER_CLASS)[number], className: string): string => `${kind}/${className}`;

/** Every metric the task computes on a slice, in report order. */
export function metricNamesFor(task: EvaluationTask, classes: readonly string[] = []): string[] {
  switch (task) {
    case 'binary':
      return [...BINARY_METRICS];
    case 'multiclass':
      return [...MULTICLASS_METRICS, ...classes.flatMap((c) => PER_CLASS.map((kind) => perClassMetric(kind, c)))];
    case 'regression':
      return [...REGRESSION_METRICS];
  }
}

/** Whether some task has this metric: what a pipeline file can be checked against before the classes are known. */
export function isKnownMetricName(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash > 0) return (PER_CLASS as readonly string[]).includes(name.slice(0, slash)) && slash < name.length - 1;
  return [...BINARY_METRICS, ...MULTICLASS_METRICS, ...REGRESSION_METRICS, ...FAIRNESS_METRICS].includes(name as never);
}

const HIGHER = new Set(['auc', 'auc_pr', 'accuracy', 'precision', 'recall', 'f1', 'macro_f1', 'weighted_f1', 'r2']);
const LOWER = new Set(['log_loss', 'mae', 'rmse', 'mape']);

/**
 * Which way a metric improves; undefined for counts and descriptive values (example_count,
 * mean_label, mean_prediction) and for calibration, which is best at 1 rather than at an end.
 */
export function defaultDirection(metric: string): 'higher' | 'lower' | undefined {
  const base = metric.includes('/') ? metric.slice(0, metric.indexOf('/')) : metric;
  if (HIGHER.has(base) || base.endsWith('_ratio')) return 'higher';
  if (LOWER.has(base) || base.endsWith('_difference')) return 'lower';
  return undefined;
}

export const higherIsBetter = (metric: string): boolean => defaultDirection(metric) === 'higher';

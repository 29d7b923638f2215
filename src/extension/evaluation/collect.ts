import { defaultDirection } from '../../core/evaluate/metricNames';
import type { EvaluationReport, EvaluationView, MetricDirection } from '../../shared/evaluation';

/**
 * The evaluation's pure part: which way each metric is better, the order metrics are shown in, and
 * the view the panel gets. Shared with the Models tree (headline metrics) and the push confirmation.
 */

/** Fairlearn's group rates: the engine's metric names do not cover them. */
const RATE_DIRECTIONS: Record<string, MetricDirection> = { tpr: 'higher', tnr: 'higher', fpr: 'lower', fnr: 'lower', selection_rate: 'neutral' };

/** The engine's direction (what change thresholds use); calibration is best at 1; counts and means have none. */
export function evaluationDirection(key: string): MetricDirection {
  const engine = defaultDirection(key);
  if (engine) return engine;
  if (key === 'calibration') return 'one';
  return RATE_DIRECTIONS[key] ?? 'neutral';
}

/** The metrics people look at first, per TFMA's defaults; any other key follows, by name. */
const HEADLINE = [
  'auc',
  'auc_pr',
  'accuracy',
  'f1',
  'macro_f1',
  'weighted_f1',
  'precision',
  'recall',
  'log_loss',
  'rmse',
  'mae',
  'mape',
  'r2',
  'calibration',
  'mean_label',
  'mean_prediction',
  'example_count',
];

export function metricOrder(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort((a, b) => headlineRank(a) - headlineRank(b) || a.localeCompare(b));
}

function headlineRank(key: string): number {
  const i = HEADLINE.indexOf(key);
  return i < 0 ? HEADLINE.length : i;
}

/** Describe the data, not the model: no headline. */
const DESCRIPTIVE = new Set(['example_count', 'mean_label', 'mean_prediction', 'calibration']);
const VALIDATION = /^val_/;

/**
 * The first `n` headline metrics of a version: its Overall evaluation metrics, or for a version
 * never evaluated its final training metrics (`val_auc` before `auc`, per-batch keys left out).
 */
export function keyMetrics(metrics: Record<string, number | null>, n = 2): [string, number][] {
  const base = (k: string) => k.replace(VALIDATION, '');
  return Object.keys(metrics)
    .filter((k) => !DESCRIPTIVE.has(base(k)) && !k.startsWith('batch_') && typeof metrics[k] === 'number' && Number.isFinite(metrics[k]))
    .sort((a, b) => headlineRank(base(a)) - headlineRank(base(b)) || Number(!VALIDATION.test(a)) - Number(!VALIDATION.test(b)) || a.localeCompare(b))
    .slice(0, n)
    .map((k) => [k, metrics[k] as number]);
}

/** Every metric-like key in the report: slice metrics, fairness rates and metrics, threshold checks. */
function reportKeys(report: EvaluationReport): Set<string> {
  const keys = new Set<string>();
  const add = (o: object | undefined) => Object.keys(o ?? {}).forEach((k) => keys.add(k));
  for (const s of [report.overall, ...report.slices]) {
    add(s.metrics);
    add(s.baseline);
  }
  for (const f of report.fairness) {
    for (const g of [f.overall, ...f.groups]) {
      add(g.metrics);
      add(g.rates);
    }
    add(f.disparities);
  }
  for (const c of report.blessing.checks) keys.add(c.metric);
  return keys;
}

export type ViewInput = Pick<EvaluationView, 'runId' | 'pipeline' | 'runStatus' | 'file' | 'report' | 'registered'>;

export function buildEvaluationView(input: ViewInput): EvaluationView {
  const { report } = input;
  const sliceKeys = new Set<string>();
  for (const s of [report.overall, ...report.slices]) Object.keys(s.metrics).forEach((k) => sliceKeys.add(k));
  return {
    ...input,
    metrics: metricOrder(sliceKeys),
    directions: Object.fromEntries([...reportKeys(report)].sort().map((k) => [k, evaluationDirection(k)])),
  };
}

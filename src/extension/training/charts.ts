import type { ChartAxis, ChartView, SeriesRole } from '../../shared/training';

/**
 * Which series share a chart. The trainer logs each epoch's `loss`, `auc`, ... and the same with a
 * `val_` prefix (step = epoch), and `batch_loss` every few batches (step = global batch): training
 * and validation of a metric go in one chart, per-batch keys in their own, anything else (a custom
 * step's metric) alone with a plain step axis.
 */

const VALIDATION_PREFIX = 'val_';
const BATCH_PREFIX = 'batch_';
/** The trainer's per-epoch metrics, in the order their charts appear. */
const EPOCH_METRICS = ['loss', 'auc', 'accuracy', 'precision', 'recall', 'mae', 'rmse', 'mse'];

export function seriesRole(key: string, keys: ReadonlySet<string>): SeriesRole {
  if (key.startsWith(BATCH_PREFIX)) return 'batch';
  if (key.startsWith(VALIDATION_PREFIX) && key.length > VALIDATION_PREFIX.length) return 'validation';
  if (EPOCH_METRICS.includes(key) || keys.has(VALIDATION_PREFIX + key)) return 'train';
  return 'other';
}

function chartOf(key: string, role: SeriesRole): { id: string; axis: ChartAxis } {
  if (role === 'batch') return { id: key, axis: 'batch' };
  if (role === 'validation') return { id: key.slice(VALIDATION_PREFIX.length), axis: 'epoch' };
  return { id: key, axis: role === 'train' ? 'epoch' : 'step' };
}

/** Rank of a chart: the trainer's metrics first (loss, then its per-batch curve), others by name. */
function rank(id: string): number {
  const base = id.startsWith(BATCH_PREFIX) ? id.slice(BATCH_PREFIX.length) : id;
  const i = EPOCH_METRICS.indexOf(base);
  return (i < 0 ? EPOCH_METRICS.length : i) * 2 + (id === base ? 0 : 1);
}

/** One chart per metric, training before validation inside each. */
export function chartsFor(keys: readonly string[]): ChartView[] {
  const all = new Set(keys);
  const charts = new Map<string, ChartView>();
  for (const key of [...keys].sort()) {
    const { id, axis } = chartOf(key, seriesRole(key, all));
    const chart = charts.get(id) ?? { id, axis, keys: [] };
    chart.keys.push(key);
    charts.set(id, chart);
  }
  for (const c of charts.values()) c.keys.sort((a, b) => Number(a.startsWith(VALIDATION_PREFIX)) - Number(b.startsWith(VALIDATION_PREFIX)));
  return [...charts.values()].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
}

import type { FinalMetric, RunRecord } from '../../core/store/types';
import type { CompareRunRow, CompareSource, CompareView, Direction, MetricColumn, ParamColumn } from '../../shared/compare';
import { toCsv } from '../../core/util/csvText';
import { parallelData } from './parallel';

/**
 * The comparison's pure part: from runs, their params and final metrics to what the panel shows —
 * which params differ, the best run per metric, the objective, the parallel-coordinates axes — and
 * the table as CSV.
 */

/** Errors and losses go down; everything else (auc, accuracy, r2, …) goes up. */
const LOWER_IS_BETTER = /(^|_)(loss|mae|mse|rmse|mape|msle|error|err|logloss|log_loss|brier|perplexity)$/;
const SPLIT_PREFIX = /^(val|eval|test|train|batch)_/;

export function metricDirection(key: string): Direction {
  const base = key.replace(SPLIT_PREFIX, '').toLowerCase();
  return LOWER_IS_BETTER.test(base) || base.includes('loss') ? 'min' : 'max';
}

export function metricColumn(key: string, rows: readonly CompareRunRow[]): MetricColumn {
  const direction = metricDirection(key);
  let best: number | null = null;
  for (const r of rows) {
    const v = r.metrics[key];
    if (v === null || v === undefined) continue;
    if (best === null || (direction === 'min' ? v < best : v > best)) best = v;
  }
  const values = new Set(rows.map((r) => r.metrics[key] ?? null));
  return { key, direction, best, bestRuns: best === null ? [] : rows.filter((r) => r.metrics[key] === best).map((r) => r.id), differs: values.size > 1 };
}

const asNumber = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

export function paramColumn(key: string, rows: readonly CompareRunRow[]): ParamColumn {
  const present = rows.map((r) => r.params[key]).filter((v): v is string => v !== undefined);
  const distinct = new Set(present);
  const differs = distinct.size > 1 || (present.length > 0 && present.length < rows.length);
  const numbers = present.map(asNumber);
  const numeric = present.length > 0 && numbers.every(Number.isFinite);
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  return { key, differs, kind: numeric ? 'numeric' : 'categorical', log: numeric && min > 0 && max / min >= 100 };
}

/** How the run that tuned records its objective: `val_auc (max)` (see trainParams in src/core/runner/params.ts). */
const OBJECTIVE_PARAM = 'train.tune.objective';
const DECLARED = /^\s*(\S+)\s*\((min|max)\)\s*$/;
const LIKELY_OBJECTIVES = ['val_loss', 'val_auc', 'loss'];

/**
 * The metric to end the parallel plot on: the tuning run's declared objective, else the likeliest
 * per-epoch key the runs share, else the first that is not per-batch.
 */
export function objectiveOf(parentParams: Record<string, string> | undefined, metricKeys: readonly string[]): CompareView['objective'] {
  const declared = DECLARED.exec(parentParams?.[OBJECTIVE_PARAM] ?? '');
  if (declared && metricKeys.includes(declared[1])) return { key: declared[1], direction: declared[2] as Direction };
  const key = LIKELY_OBJECTIVES.find((k) => metricKeys.includes(k)) ?? metricKeys.find((k) => !k.startsWith('batch_'));
  return key ? { key, direction: metricDirection(key) } : null;
}

export interface CompareInput {
  source: CompareSource;
  title: string;
  runs: readonly RunRecord[];
  params: ReadonlyMap<number, Record<string, string>>;
  finals: ReadonlyMap<number, Record<string, FinalMetric>>;
  /** Params of the tuning run, for its declared objective. */
  parentParams?: Record<string, string>;
  curveBudget: number;
}

/** Metrics in the table: the trainer's per-epoch keys and the like first, per-batch ones last. */
function metricOrder(a: string, b: string): number {
  return Number(a.startsWith('batch_')) - Number(b.startsWith('batch_')) || a.localeCompare(b);
}

export function buildCompareView(input: CompareInput): CompareView {
  const rows: CompareRunRow[] = [...input.runs]
    .sort((a, b) => a.id - b.id)
    .map((r) => ({
      id: r.id,
      pipeline: r.pipelineName,
      status: r.status,
      startedAt: r.startedAt,
      parentRunId: r.parentRunId,
      params: input.params.get(r.id) ?? {},
      metrics: Object.fromEntries(Object.entries(input.finals.get(r.id) ?? {}).map(([k, m]) => [k, Number.isFinite(m.value) ? m.value : null])),
    }));
  const paramKeys = [...new Set(rows.flatMap((r) => Object.keys(r.params)))].sort();
  const allKeys = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))];
  const objective = objectiveOf(input.parentParams, allKeys);
  // The objective first: the table's first metric is the one the comparison is about.
  const metricKeys = allKeys.sort((a, b) => Number(b === objective?.key) - Number(a === objective?.key) || metricOrder(a, b));
  const params = paramKeys.map((k) => paramColumn(k, rows));
  const metrics = metricKeys.map((k) => metricColumn(k, rows));
  const curves = new Set([...input.finals.values()].flatMap((f) => Object.entries(f).flatMap(([k, m]) => (m.curve ? [k] : []))));
  return {
    source: input.source,
    title: input.title,
    runs: rows,
    params,
    metrics,
    curves: metricKeys.filter((k) => curves.has(k)),
    objective,
    parallel: parallelData(
      rows,
      params.filter((p) => p.differs),
      metrics,
    ),
    curveBudget: input.curveBudget,
  };
}

/** The table as shown: rows in the given order, every param or only those that differ, then metrics. */
export function compareCsv(view: CompareView, runIds: readonly number[], onlyDiffering: boolean): string {
  const byId = new Map(view.runs.map((r) => [r.id, r]));
  const params = view.params.filter((p) => !onlyDiffering || p.differs).map((p) => p.key);
  const metrics = view.metrics.filter((m) => !onlyDiffering || m.differs).map((m) => m.key);
  const rows = runIds.flatMap((id) => {
    const r = byId.get(id);
    return r ? [[r.id, r.pipeline, r.status, ...params.map((k) => r.params[k]), ...metrics.map((k) => r.metrics[k])]] : [];
  });
  return toCsv(['run', 'pipeline', 'status', ...params, ...metrics], rows);
}

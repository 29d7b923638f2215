import type { StoreContext } from './context';
import type { MetricPoint, MetricRecord, RunDetails } from './types';

/** NULL stands for NaN, which SQLite cannot store (see the metrics table). */
function storable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

function readable(value: number | null): number {
  return value ?? Number.NaN;
}

/**
 * One transaction per call, so a training loop's batch costs one commit. Points without a step get
 * step 0 and points without a timestamp the time of the call.
 */
export function logMetrics(ctx: StoreContext, runId: number, executionId: number | null, points: readonly MetricPoint[]): void {
  const insert = ctx.statement('INSERT INTO metrics (run_id, execution_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?, ?)');
  const now = ctx.now();
  ctx.write(() => {
    if (executionId !== null) checkExecutionOfRun(ctx, runId, executionId);
    for (const point of points) {
      insert.run(runId, executionId, point.key, point.step ?? 0, storable(point.value), point.timestamp ?? now);
    }
  });
}

function checkExecutionOfRun(ctx: StoreContext, runId: number, executionId: number): void {
  const found = ctx.statement('SELECT 1 FROM executions WHERE id = ? AND run_id = ?').get(executionId, runId);
  if (found === undefined) throw new Error(`execution ${executionId} is not part of run ${runId}`);
}

export function metricHistory(ctx: StoreContext, runId: number, key: string): MetricRecord[] {
  const rows = ctx
    .statement(
      `SELECT run_id AS runId, execution_id AS executionId, key, step, value, timestamp
       FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, id`,
    )
    .all(runId, key) as (Omit<MetricRecord, 'value'> & { value: number | null })[];
  return rows.map((row) => ({ ...row, value: readable(row.value) }));
}

/** Counting reads only the (run, key, step) index, never the rows; each latest point is one index seek. */
export function latestMetrics(ctx: StoreContext, runId: number): RunDetails['metrics'] {
  const rows = ctx
    .statement(
      `SELECT k.key, m.value, m.step, k.points, m.execution_id AS executionId
       FROM (SELECT key, count(*) AS points FROM metrics WHERE run_id = @runId GROUP BY key) k
       JOIN metrics m ON m.id = (
         SELECT id FROM metrics WHERE run_id = @runId AND key = k.key ORDER BY step DESC, id DESC LIMIT 1)
       ORDER BY k.key`,
    )
    .all({ runId }) as (Omit<RunDetails['metrics'][number], 'value'> & { value: number | null })[];
  return rows.map((row) => ({ ...row, value: readable(row.value) }));
}

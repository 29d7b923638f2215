import type { StoreContext } from './context';
import { EXECUTION_COLUMNS, expectChanged, LINKED_ARTIFACT_COLUMNS, propertiesJson, toArtifact, toExecution } from './rows';
import type { CachedExecution, ComponentStatus, ExecutionRecord, ExecutionStatus, LinkedArtifact } from './types';

export function startExecution(
  ctx: StoreContext,
  runId: number,
  component: string,
  type: string,
  properties?: Record<string, unknown>,
  cacheKey?: string | null,
): ExecutionRecord {
  const id = ctx.write(
    () =>
      ctx
        .statement(
          `INSERT INTO executions (run_id, component, type, status, started_at, cache_key, properties)
           VALUES (?, ?, ?, 'running', ?, ?, ?)`,
        )
        .run(runId, component, type, ctx.now(), cacheKey ?? null, propertiesJson(properties)).lastInsertRowid,
  );
  return getExecution(ctx, Number(id)) as ExecutionRecord;
}

export function finishExecution(ctx: StoreContext, executionId: number, status: Exclude<ExecutionStatus, 'new' | 'running'>, error?: string | null): void {
  ctx.write(() => {
    const result = ctx.statement('UPDATE executions SET status = ?, ended_at = ?, error = ? WHERE id = ?').run(status, ctx.now(), error ?? null, executionId);
    expectChanged(result, `execution ${executionId} does not exist`);
  });
}

export function getExecution(ctx: StoreContext, executionId: number): ExecutionRecord | undefined {
  const row = ctx.statement(`SELECT ${EXECUTION_COLUMNS} FROM executions e WHERE e.id = ?`).get(executionId);
  return row === undefined ? undefined : toExecution(row);
}

/**
 * The newest execution with this cache key that finished and whose outputs all still exist. A
 * `cached` execution counts too: it links the same outputs, and keeps them reachable after the run
 * that first produced them is deleted.
 */
export function findCachedExecution(ctx: StoreContext, cacheKey: string): CachedExecution | undefined {
  return ctx.read(() => newestReusable(ctx, cacheKey));
}

function newestReusable(ctx: StoreContext, cacheKey: string): CachedExecution | undefined {
  const row = ctx
    .statement(
      `SELECT ${EXECUTION_COLUMNS} FROM executions e
       WHERE e.cache_key = ? AND e.status IN ('complete', 'cached') AND NOT EXISTS (
         SELECT 1 FROM events ev JOIN artifacts a ON a.id = ev.artifact_id
         WHERE ev.execution_id = e.id AND ev.role = 'output' AND a.state <> 'live')
       ORDER BY e.id DESC LIMIT 1`,
    )
    .get(cacheKey);
  if (row === undefined) return undefined;
  const execution = toExecution(row);
  const outputs = ctx
    .statement(
      `SELECT ${LINKED_ARTIFACT_COLUMNS} FROM events ev JOIN artifacts a ON a.id = ev.artifact_id
       WHERE ev.execution_id = ? AND ev.role = 'output' ORDER BY ev.name, a.id`,
    )
    .all(execution.id)
    .map((r) => toArtifact<LinkedArtifact>(r));
  return { execution, outputs };
}

/** SQLite fills bare columns next to max() from the row holding the max: the newest execution per component. */
export function componentStatuses(ctx: StoreContext, pipelineName: string): ComponentStatus[] {
  return ctx
    .statement(
      `SELECT e.component, e.status, e.run_id AS runId, e.ended_at AS endedAt, max(e.id) AS newest
       FROM pipelines p JOIN runs r ON r.pipeline_id = p.id JOIN executions e ON e.run_id = r.id
       WHERE p.name = ? GROUP BY e.component ORDER BY newest`,
    )
    .all(pipelineName)
    .map((row) => {
      const { component, status, runId, endedAt } = row as ComponentStatus;
      return { component, status, runId, endedAt };
    });
}

/** Executions still running somewhere (after recovery: in a live process): their temporary folders are in use. */
export function runningExecutionIds(ctx: StoreContext): Set<number> {
  return new Set(ctx.statement(`SELECT id FROM executions WHERE status = 'running'`).column() as number[]);
}

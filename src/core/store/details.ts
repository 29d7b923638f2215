import type { StoreContext } from './context';
import { latestMetrics } from './metrics';
import { EXECUTION_COLUMNS, LINKED_ARTIFACT_COLUMNS, toArtifact, toExecution } from './rows';
import { getRun } from './runs';
import { readKeyValues } from './tracking';
import type { LinkedArtifact, RunDetails } from './types';

export function getRunDetails(ctx: StoreContext, runId: number): RunDetails | undefined {
  return ctx.read(() => {
    const run = getRun(ctx, runId);
    if (!run) return undefined;
    return {
      run,
      executions: ctx.statement(`SELECT ${EXECUTION_COLUMNS} FROM executions e WHERE e.run_id = ? ORDER BY e.id`).all(runId).map(toExecution),
      params: readKeyValues(ctx, 'params', runId),
      metrics: latestMetrics(ctx, runId),
      tags: readKeyValues(ctx, 'tags', runId),
      artifacts: ctx
        .statement(
          `SELECT ${LINKED_ARTIFACT_COLUMNS}
           FROM executions e JOIN events ev ON ev.execution_id = e.id JOIN artifacts a ON a.id = ev.artifact_id
           WHERE e.run_id = ? ORDER BY ev.execution_id, ev.role, ev.name, a.id`,
        )
        .all(runId)
        .map((row) => toArtifact<LinkedArtifact>(row)),
    };
  });
}

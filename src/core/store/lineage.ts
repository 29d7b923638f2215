import { UserError } from '../util/problems';
import { getArtifact } from './artifacts';
import type { StoreContext } from './context';
import { ARTIFACT_COLUMNS, EXECUTION_COLUMNS, idList, toArtifact, toExecution } from './rows';
import type { EventRecord, Lineage } from './types';

/**
 * Walks upstream from an artifact: the execution that produced it, that execution's inputs, their
 * producers, and so on for `depth` executions. Each execution comes with all its events, so the
 * graph also shows sibling outputs (a transform's graph next to its transformed examples).
 */
export function lineage(ctx: StoreContext, artifactId: number, depth = 5): Lineage {
  return ctx.read(() => walkUpstream(ctx, artifactId, depth));
}

function walkUpstream(ctx: StoreContext, artifactId: number, depth: number): Lineage {
  const artifact = getArtifact(ctx, artifactId);
  if (!artifact) throw UserError.at(`there is no artifact ${artifactId} in the run store ${ctx.path}`);
  const executionIds = ctx
    .statement(
      `WITH RECURSIVE producers (execution_id, depth) AS (
         SELECT execution_id, 1 FROM events WHERE artifact_id = @artifactId AND role = 'output'
         UNION
         SELECT produced.execution_id, p.depth + 1 FROM producers p
         JOIN events consumed ON consumed.execution_id = p.execution_id AND consumed.role = 'input'
         JOIN events produced ON produced.artifact_id = consumed.artifact_id AND produced.role = 'output'
         WHERE p.depth < @depth)
       SELECT DISTINCT execution_id FROM producers`,
    )
    .column({ artifactId, depth }) as number[];
  const executions = idList(executionIds);
  const events = ctx
    .statement(
      `SELECT execution_id AS executionId, artifact_id AS artifactId, role, name FROM events
       WHERE execution_id IN (SELECT value FROM json_each(?)) ORDER BY execution_id, role, name, artifact_id`,
    )
    .all(executions) as EventRecord[];
  const artifactIds = idList([artifactId, ...events.map((e) => e.artifactId)]);
  return {
    artifact,
    executions: ctx
      .statement(`SELECT ${EXECUTION_COLUMNS} FROM executions e WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`)
      .all(executions)
      .map(toExecution),
    artifacts: ctx
      .statement(`SELECT ${ARTIFACT_COLUMNS} FROM artifacts a WHERE a.id IN (SELECT value FROM json_each(?)) ORDER BY a.id`)
      .all(artifactIds)
      .map((row) => toArtifact(row)),
    events,
  };
}

import type { StoreContext } from './context';
import type { RecordedInput } from './types';

/**
 * The files from outside the run that a run's results depend on, as the run found them: what its
 * executions read that no execution made (data files, a step's declared inputs) and the schema
 * file. A cached execution read nothing itself: the execution that made its outputs stands in.
 */
export function recordedInputs(ctx: StoreContext, runId: number): RecordedInput[] {
  return ctx
    .statement(
      `WITH source AS (
         SELECT e.id AS executionId, e.component,
           CASE WHEN e.status <> 'cached' THEN e.id ELSE (
             SELECT producer.execution_id FROM events own
             JOIN events producer ON producer.artifact_id = own.artifact_id AND producer.role = 'output'
             JOIN executions x ON x.id = producer.execution_id AND x.status <> 'cached'
             WHERE own.execution_id = e.id AND own.role = 'output' LIMIT 1) END AS readBy
         FROM executions e WHERE e.run_id = @runId)
       SELECT s.component, ev.name, a.type, a.uri, a.content_hash AS contentHash
       FROM source s JOIN events ev ON ev.execution_id = s.readBy AND ev.role = 'input' JOIN artifacts a ON a.id = ev.artifact_id
       WHERE NOT EXISTS (SELECT 1 FROM events made WHERE made.artifact_id = a.id AND made.role = 'output')
       UNION
       SELECT s.component, ev.name, a.type, a.uri, a.content_hash AS contentHash
       FROM source s JOIN events ev ON ev.execution_id = s.executionId AND ev.role = 'output' JOIN artifacts a ON a.id = ev.artifact_id
       WHERE a.type = 'Schema'
       ORDER BY 1, 2`,
    )
    .all({ runId }) as RecordedInput[];
}

/**
 * Components of a run that were cached from an execution no longer in the store (its run was
 * deleted): what they read is not known, so the run's inputs cannot be checked.
 */
export function componentsWithUnknownInputs(ctx: StoreContext, runId: number): string[] {
  return ctx
    .statement(
      `SELECT e.component FROM executions e WHERE e.run_id = ? AND e.status = 'cached' AND NOT EXISTS (
         SELECT 1 FROM events own
         JOIN events producer ON producer.artifact_id = own.artifact_id AND producer.role = 'output'
         JOIN executions x ON x.id = producer.execution_id AND x.status <> 'cached'
         WHERE own.execution_id = e.id AND own.role = 'output')
       ORDER BY e.id`,
    )
    .column(runId) as string[];
}

import * as os from 'node:os';
import { UserError } from '../util/problems';
import type { StoreContext } from './context';
import { expectChanged, idList, RUN_COLUMNS, RUNS_FROM, toRun } from './rows';
import type { NewRun, RunRecord, RunStatus } from './types';

export function createRun(ctx: StoreContext, run: NewRun): RunRecord {
  const id = ctx.write(() => {
    const pipeline = ctx
      .statement(
        `INSERT INTO pipelines (name, file, created_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET file = excluded.file RETURNING id`,
      )
      .get(run.pipelineName, run.pipelineFile, ctx.now()) as { id: number };
    return ctx
      .statement(
        `INSERT INTO runs (pipeline_id, pipeline_file, status, component, started_at, pipeline_hash, git_commit,
           git_dirty, tool_version, tfjs_backend, seed, pid, hostname, parent_run_id, node_version, sqlite_driver,
           sqlite_version, trigger, reproduces_run_id)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        pipeline.id,
        run.pipelineFile,
        run.component ?? null,
        run.startedAt ?? ctx.now(),
        run.pipelineHash,
        run.gitCommit ?? null,
        run.gitDirty === undefined || run.gitDirty === null ? null : Number(run.gitDirty),
        run.toolVersion,
        run.tfjsBackend ?? null,
        run.seed ?? null,
        // The creating process runs the pipeline; recoverInterrupted checks this pid later.
        run.pid ?? process.pid,
        run.hostname ?? os.hostname(),
        run.parentRunId ?? null,
        ctx.db.info.nodeVersion,
        ctx.db.info.name,
        ctx.db.info.sqliteVersion,
        run.trigger ? JSON.stringify(run.trigger) : null,
        run.reproducesRunId ?? null,
      ).lastInsertRowid;
  });
  return getRun(ctx, Number(id)) as RunRecord;
}

export function finishRun(ctx: StoreContext, runId: number, status: Exclude<RunStatus, 'running'>, error?: string | null): void {
  ctx.write(() => {
    const result = ctx.statement('UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?').run(status, ctx.now(), error ?? null, runId);
    expectChanged(result, `run ${runId} does not exist`);
  });
}

/** Records the tfjs backend once training has chosen it (it is not known when the run starts). */
export function setRunBackend(ctx: StoreContext, runId: number, backend: string): void {
  ctx.write(() => {
    expectChanged(ctx.statement('UPDATE runs SET tfjs_backend = ? WHERE id = ?').run(backend, runId), `run ${runId} does not exist`);
  });
}

/**
 * Marks an interrupted, failed or canceled run as running again in this process, for
 * `mlops run --resume`: its finished executions stay, the components still to do run under it.
 */
export function reopenRun(ctx: StoreContext, runId: number): RunRecord {
  ctx.write(() => {
    const run = getRun(ctx, runId);
    if (!run) throw UserError.at(`there is no run ${runId} in the run store ${ctx.path}`);
    if (run.status === 'running') throw UserError.at(`run ${runId} is still running`, undefined, 'cancel it first, or wait for it to finish');
    if (run.status === 'complete') throw UserError.at(`run ${runId} finished successfully: there is nothing to resume`, undefined, 'start a new run instead');
    ctx
      .statement(`UPDATE runs SET status = 'running', ended_at = NULL, error = NULL, pid = ?, hostname = ? WHERE id = ?`)
      .run(process.pid, os.hostname(), runId);
  });
  return getRun(ctx, runId) as RunRecord;
}

export function getRun(ctx: StoreContext, runId: number): RunRecord | undefined {
  const row = ctx.statement(`SELECT ${RUN_COLUMNS} FROM ${RUNS_FROM} WHERE r.id = ?`).get(runId);
  return row === undefined ? undefined : toRun(row);
}

/**
 * Deletes a run with its executions, events, params, metrics and tags, and the artifacts no other run
 * uses, and the stored file contents (pipeline file, scripts) no other run uses. Returns those
 * artifacts' URIs: their files are the caller's to delete. An artifact a
 * registered model version points at (its package or evaluation) is kept, row and files: the
 * version outlives its run, which only loses its run id.
 */
export function deleteRun(ctx: StoreContext, runId: number): string[] {
  return ctx.write(() => {
    const run = getRun(ctx, runId);
    if (!run) throw UserError.at(`there is no run ${runId} in the run store ${ctx.path}`);
    if (run.status === 'running') {
      throw UserError.at(`run ${runId} is still running`, undefined, 'wait for it to finish or cancel it, then delete it');
    }
    const orphans = ctx
      .statement(
        `SELECT DISTINCT ev.artifact_id AS id, a.uri
         FROM executions e JOIN events ev ON ev.execution_id = e.id JOIN artifacts a ON a.id = ev.artifact_id
         WHERE e.run_id = @runId AND NOT EXISTS (
           SELECT 1 FROM events other JOIN executions oe ON oe.id = other.execution_id
           WHERE other.artifact_id = ev.artifact_id AND oe.run_id <> @runId)
         AND NOT EXISTS (SELECT 1 FROM model_versions mv WHERE mv.uri = a.uri OR mv.evaluation_uri = a.uri)`,
      )
      .all({ runId }) as { id: number; uri: string }[];
    const contents = ctx.statement('SELECT hash FROM run_files WHERE run_id = ?').column(runId) as string[];
    ctx.statement('DELETE FROM runs WHERE id = ?').run(runId);
    ctx.statement('DELETE FROM artifacts WHERE id IN (SELECT value FROM json_each(?))').run(idList(orphans.map((o) => o.id)));
    ctx
      .statement('DELETE FROM contents WHERE hash IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM run_files f WHERE f.hash = contents.hash)')
      .run(idList(contents));
    return orphans.map((o) => o.uri);
  });
}

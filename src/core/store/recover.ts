import * as os from 'node:os';
import type { StoreContext } from './context';
import type { ExecutionRecord, RunRecord } from './types';

export const INTERRUPTED_MESSAGE = 'the process running this pipeline stopped without finishing (killed or crashed)';

/** Signal 0 only checks: ESRCH means no such process; EPERM means it exists but belongs to someone else. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Marks runs whose process died (SIGKILL, crash, power loss) as interrupted, fails their running
 * executions and abandons their pending artifacts. Only this host's runs: a pid means nothing on
 * another machine sharing the store. A recycled pid makes a dead run look alive, which errs on the
 * side of leaving it alone.
 */
export function recoverInterrupted(ctx: StoreContext): number[] {
  const running = ctx.statement(`SELECT id, pid FROM runs WHERE status = 'running' AND hostname = ? AND pid IS NOT NULL`).all(os.hostname()) as {
    id: number;
    pid: number;
  }[];
  const dead = running.filter((run) => !isAlive(run.pid)).map((run) => run.id);
  if (dead.length === 0) return [];
  return ctx.write(() => dead.filter((runId) => interrupt(ctx, runId)));
}

/** The run's last sign of life: the end time of an interrupted run, so its duration stays true. */
function lastSeen(ctx: StoreContext, runId: number): number {
  const row = ctx
    .statement(
      `SELECT max(r.started_at,
         coalesce((SELECT max(coalesce(e.ended_at, e.started_at)) FROM executions e WHERE e.run_id = r.id), 0),
         coalesce((SELECT max(m.timestamp) FROM metrics m WHERE m.run_id = r.id), 0)) AS at
       FROM runs r WHERE r.id = ?`,
    )
    .get(runId) as { at: number };
  return row.at;
}

function diedHere(run: RunRecord): boolean {
  return run.status === 'running' && run.pid !== null && run.hostname === os.hostname() && !isAlive(run.pid);
}

/**
 * What a reader that may not write (the editor, `mlops runs list`) shows for a run whose process died:
 * interrupted, as the next writer will record it, instead of running until then.
 */
export function asRecoveredRun(ctx: StoreContext, run: RunRecord): RunRecord {
  return diedHere(run) ? { ...run, status: 'interrupted', endedAt: lastSeen(ctx, run.id), error: INTERRUPTED_MESSAGE } : run;
}

export function asRecoveredExecution(run: RunRecord, execution: ExecutionRecord): ExecutionRecord {
  return run.status === 'interrupted' && execution.status === 'running'
    ? { ...execution, status: 'failed', endedAt: run.endedAt, error: INTERRUPTED_MESSAGE }
    : execution;
}

function interrupt(ctx: StoreContext, runId: number): boolean {
  const at = lastSeen(ctx, runId);
  // Re-checked inside the transaction: the run may have finished since it was read.
  const changed = ctx
    .statement(`UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? WHERE id = ? AND status = 'running'`)
    .run(at, INTERRUPTED_MESSAGE, runId).changes;
  if (changed === 0) return false;
  ctx.statement(`UPDATE executions SET status = 'failed', ended_at = ?, error = ? WHERE run_id = ? AND status = 'running'`).run(at, INTERRUPTED_MESSAGE, runId);
  ctx
    .statement(
      `UPDATE artifacts SET state = 'abandoned' WHERE state = 'pending' AND id IN (
         SELECT ev.artifact_id FROM executions e JOIN events ev ON ev.execution_id = e.id WHERE e.run_id = ?)`,
    )
    .run(runId);
  return true;
}

import type { StoreContext } from './context';
import { RUN_COLUMNS, RUNS_FROM, toRun } from './rows';
import type { RunRecord } from './types';

/**
 * Queries over a set of runs at once (a comparison of 200 ticked runs, a page of the Runs tree):
 * one statement each, the ids passed as a JSON array so the SQL text (and its prepared statement)
 * stays the same for any number of runs.
 */

const IDS = 'SELECT value FROM json_each(@ids)';

/** The runs with these ids, in the order asked; ids not in the store are left out. */
export function getRuns(ctx: StoreContext, runIds: readonly number[]): RunRecord[] {
  const rows = ctx.statement(`SELECT ${RUN_COLUMNS} FROM ${RUNS_FROM} WHERE r.id IN (${IDS})`).all({ ids: JSON.stringify(runIds) });
  const byId = new Map(rows.map((row) => [(row as RunRecord).id, toRun(row)]));
  return [...new Set(runIds)].flatMap((id) => byId.get(id) ?? []);
}

/** Every run's parameters; a run without any has an empty record. */
export function paramsOfRuns(ctx: StoreContext, runIds: readonly number[]): Map<number, Record<string, string>> {
  const rows = ctx.statement(`SELECT run_id, key, value FROM params WHERE run_id IN (${IDS}) ORDER BY run_id, key`).rows({ ids: JSON.stringify(runIds) }) as [
    number,
    string,
    string,
  ][];
  const out = new Map<number, Record<string, string>>(runIds.map((id) => [id, {}]));
  for (const [runId, key, value] of rows) out.get(runId)![key] = value;
  return out;
}

/** How many child runs (tuning trials) each run has; runs without any are left out. */
export function childRunCounts(ctx: StoreContext, runIds: readonly number[]): Map<number, number> {
  const rows = ctx
    .statement(`SELECT parent_run_id, count(*) FROM runs WHERE parent_run_id IN (${IDS}) GROUP BY parent_run_id`)
    .rows({ ids: JSON.stringify(runIds) }) as [number, number][];
  return new Map(rows);
}

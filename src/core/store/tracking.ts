import type { StoreContext } from './context';

/** Params and tags: one string value per run and key; logging a key again replaces its value. */

type KeyValueTable = 'params' | 'tags';

/** Strings are stored as given; anything else as JSON, so `hidden: [64, 32]` reads back as `[64,32]`. */
export function logParams(ctx: StoreContext, runId: number, params: Record<string, unknown>): void {
  upsert(ctx, 'params', runId, params);
}

/** A null value removes the tag. */
export function setTags(ctx: StoreContext, runId: number, tags: Record<string, string | null>): void {
  upsert(ctx, 'tags', runId, tags);
}

export function readKeyValues(ctx: StoreContext, table: KeyValueTable, runId: number): Record<string, string> {
  const rows = ctx.statement(`SELECT key, value FROM ${table} WHERE run_id = ? ORDER BY key`).rows(runId);
  return Object.fromEntries(rows as [string, string][]);
}

function upsert(ctx: StoreContext, table: KeyValueTable, runId: number, values: Record<string, unknown>): void {
  const set = ctx.statement(`INSERT INTO ${table} (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value`);
  const remove = ctx.statement(`DELETE FROM ${table} WHERE run_id = ? AND key = ?`);
  ctx.write(() => {
    for (const [key, value] of Object.entries(values)) {
      if (table === 'tags' && value === null) remove.run(runId, key);
      else set.run(runId, key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  });
}

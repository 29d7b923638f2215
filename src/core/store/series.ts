import type { StoreContext } from './context';
import type { FinalMetric, MetricSeriesCursor, MetricSeriesPage } from './types';

/**
 * Metric curves read for charts: the keys of a run, a key's points a page at a time after a cursor
 * (a live chart asks only for what is new), and the latest value of every key. Every query walks the
 * (run_id, key, step) index: a run with a million points costs a few index seeks per key, never a
 * scan of the run's rows.
 */

/**
 * Distinct keys by a loose index scan: each step seeks the next key after the previous one, so the
 * cost is one seek per key however many points each key has (a plain DISTINCT reads every entry).
 */
const KEYS_OF_RUN = `
  WITH RECURSIVE k(key) AS (
    SELECT (SELECT min(key) FROM metrics WHERE run_id = @runId)
    UNION ALL
    SELECT (SELECT min(key) FROM metrics WHERE run_id = @runId AND key > k.key) FROM k WHERE k.key IS NOT NULL
  )`;

export function metricKeys(ctx: StoreContext, runId: number): string[] {
  const rows = ctx.statement(`${KEYS_OF_RUN} SELECT key FROM k WHERE key IS NOT NULL`).column({ runId });
  return rows as string[];
}

/**
 * Points of one key in step order (ties in logging order), strictly after `after`: pass the page's
 * cursor back to get the next page, or to get only the points logged since.
 */
export function metricPoints(ctx: StoreContext, runId: number, key: string, after: MetricSeriesCursor | null, limit: number): MetricSeriesPage {
  const rows = (
    after
      ? ctx
          .statement(
            `SELECT id, step, value FROM metrics
             WHERE run_id = @runId AND key = @key AND step >= @step AND (step > @step OR id > @id)
             ORDER BY step, id LIMIT @limit`,
          )
          .rows({ runId, key, step: after.step, id: after.id, limit })
      : ctx.statement('SELECT id, step, value FROM metrics WHERE run_id = @runId AND key = @key ORDER BY step, id LIMIT @limit').rows({ runId, key, limit })
  ) as [number, number, number | null][];
  const steps = new Array<number>(rows.length);
  const values = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    steps[i] = rows[i][1];
    // NULL stands for NaN (see the metrics table).
    values[i] = rows[i][2] ?? Number.NaN;
  }
  const last = rows.at(-1);
  return { steps, values, cursor: last ? { id: last[0], step: last[1] } : after, done: rows.length < limit };
}

/**
 * The latest value (highest step) of every key of each run, what a comparison calls final, and
 * whether the key is a curve (points at two steps or more) rather than a single figure.
 */
export function finalMetrics(ctx: StoreContext, runIds: readonly number[]): Map<number, Record<string, FinalMetric>> {
  const latest = ctx.statement(
    `${KEYS_OF_RUN}
     SELECT k.key, m.value, m.step, (SELECT min(step) FROM metrics WHERE run_id = @runId AND key = k.key)
     FROM k JOIN metrics m ON m.id = (
       SELECT id FROM metrics WHERE run_id = @runId AND key = k.key ORDER BY step DESC, id DESC LIMIT 1)
     WHERE k.key IS NOT NULL`,
  );
  return ctx.read(() => {
    const out = new Map<number, Record<string, FinalMetric>>();
    for (const runId of new Set(runIds)) {
      const rows = latest.rows({ runId }) as [string, number | null, number, number][];
      out.set(runId, Object.fromEntries(rows.map(([key, value, step, first]) => [key, { value: value ?? Number.NaN, step, curve: first < step }])));
    }
    return out;
  });
}

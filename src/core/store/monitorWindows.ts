import type { StoredWindow, WindowReport } from '../monitor/types';
import type { StoreContext } from './context';

/**
 * Checked windows of served rows (migration 5): what `mlops monitor` saw, window by window, kept
 * for the Monitoring panel's time series. A window checked again replaces its report.
 */

/** Stores or replaces the report of `report.window` (same model and key). */
export function recordWindow(ctx: StoreContext, report: WindowReport): StoredWindow {
  return ctx.write(() => {
    const { window } = report;
    const checkedAt = ctx.now();
    const row = ctx
      .statement(
        `INSERT INTO monitor_windows (model, window_key, version, window_start, window_end, report, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model, window_key) DO UPDATE SET version = excluded.version, window_start = excluded.window_start,
           window_end = excluded.window_end, report = excluded.report, checked_at = excluded.checked_at
         RETURNING id`,
      )
      .get(window.model, window.key, window.version, window.start, window.end, JSON.stringify(report), checkedAt) as { id: number };
    return { id: row.id, report, checkedAt };
  });
}

/** The newest `limit` windows of a model (ending after `since`, epoch ms, when given), oldest first: a time series. */
export function listWindows(ctx: StoreContext, query: { model: string; since?: number; limit?: number }): StoredWindow[] {
  return ctx.read(() => {
    const rows = ctx
      .statement(
        `SELECT id, report, checked_at AS checkedAt FROM monitor_windows WHERE model = @model AND window_end >= @since
         ORDER BY window_end DESC, id DESC LIMIT @limit`,
      )
      .all({ model: query.model, since: query.since ?? 0, limit: query.limit ?? 500 }) as { id: number; report: string; checkedAt: number }[];
    return rows.reverse().map((r) => ({ id: r.id, report: JSON.parse(r.report) as WindowReport, checkedAt: r.checkedAt }));
  });
}

/** Models with checked windows, by name. */
export function monitoredModels(ctx: StoreContext): string[] {
  return ctx.read(() => (ctx.statement('SELECT DISTINCT model FROM monitor_windows ORDER BY model').all() as { model: string }[]).map((r) => r.model));
}

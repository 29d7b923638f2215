import type { ActionOutcome, AlertActionRecord, AlertRecord, MonitorAction, NewAlert } from '../monitor/types';
import type { StoreContext } from './context';
import { expectChanged } from './rows';

/**
 * Monitoring alerts and the actions they set off (tables of migration 4). An alert is unique per
 * model, version, window and check, so reading a log again finds the alert raised before; an
 * action is claimed (inserted) before it runs, so it runs at most once per alert.
 */

const ALERT_COLUMNS = `id, model, version, kind, subject, method, value, threshold, window_key AS windowKey,
  window_start AS windowStart, window_end AS windowEnd, window_rows AS windowRows, message, created_at AS createdAt`;

type AlertRow = Omit<AlertRecord, 'window' | 'actions'> & { windowKey: string; windowStart: number; windowEnd: number; windowRows: number };

function toAlert(row: AlertRow, actions: AlertActionRecord[]): AlertRecord {
  const { windowKey, windowStart, windowEnd, windowRows, ...rest } = row;
  return { ...rest, window: { key: windowKey, model: row.model, version: row.version, start: windowStart, end: windowEnd, rows: windowRows }, actions };
}

/** What a notify action records: the alert itself is the message, shown by whoever watches the store. */
export const NOTIFY_DETAIL = 'stored for the editor to show';

/**
 * Stores the alert unless the same check of the same window raised it before; either way returns the
 * stored one. With `notify`, a new alert is stored with its notify action done in the same
 * transaction, so a watcher never sees it without: the editor notifies exactly those.
 */
export function recordAlert(ctx: StoreContext, a: NewAlert, options: { notify?: boolean } = {}): { alert: AlertRecord; created: boolean } {
  return ctx.write(() => {
    const inserted = ctx
      .statement(
        `INSERT INTO alerts (model, version, kind, subject, method, value, threshold, window_key, window_start, window_end, window_rows, message, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model, version, window_key, kind, subject, method) DO NOTHING`,
      )
      .run(
        a.model,
        a.version,
        a.kind,
        a.subject,
        a.method,
        storable(a.value),
        storable(a.threshold),
        a.window.key,
        a.window.start,
        a.window.end,
        a.window.rows,
        a.message,
        ctx.now(),
      );
    const row = ctx
      .statement(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE model = ? AND version = ? AND window_key = ? AND kind = ? AND subject = ? AND method = ?`)
      .get(a.model, a.version, a.window.key, a.kind, a.subject, a.method) as AlertRow;
    const created = inserted.changes === 1;
    if (created && options.notify) {
      ctx
        .statement(`INSERT INTO alert_actions (alert_id, action, outcome, detail, at) VALUES (?, 'notify', 'done', ?, ?)`)
        .run(row.id, NOTIFY_DETAIL, ctx.now());
    }
    return { alert: toAlert(row, actionsOf(ctx, row.id)), created };
  });
}

/** Newest first; only alerts with an id above `afterId` when given (what a watcher has not seen yet). */
export function listAlerts(ctx: StoreContext, query: { model?: string; afterId?: number; limit?: number } = {}): AlertRecord[] {
  return ctx.read(() => {
    const rows = ctx
      .statement(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE (@model IS NULL OR model = @model) AND id > @after ORDER BY id DESC LIMIT @limit`)
      .all({ model: query.model ?? null, after: query.afterId ?? 0, limit: query.limit ?? 100 }) as AlertRow[];
    return rows.map((row) => toAlert(row, actionsOf(ctx, row.id)));
  });
}

export function getAlert(ctx: StoreContext, id: number): AlertRecord | undefined {
  return ctx.read(() => {
    const row = ctx.statement(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = ?`).get(id) as AlertRow | undefined;
    return row && toAlert(row, actionsOf(ctx, row.id));
  });
}

/** Takes the action for this alert: true when it had not been taken, so the caller now runs it. */
export function claimAlertAction(ctx: StoreContext, alertId: number, action: MonitorAction, detail: string): boolean {
  const result = ctx
    .statement(`INSERT INTO alert_actions (alert_id, action, outcome, detail, at) VALUES (?, ?, 'started', ?, ?) ON CONFLICT (alert_id, action) DO NOTHING`)
    .run(alertId, action, detail, ctx.now());
  return result.changes === 1;
}

export function finishAlertAction(
  ctx: StoreContext,
  alertId: number,
  action: MonitorAction,
  outcome: Exclude<ActionOutcome, 'started'>,
  detail: string,
  runId: number | null = null,
): void {
  const result = ctx
    .statement('UPDATE alert_actions SET outcome = ?, detail = ?, run_id = ?, at = ? WHERE alert_id = ? AND action = ?')
    .run(outcome, detail, runId, ctx.now(), alertId, action);
  expectChanged(result, `alert #${alertId} has no ${action} action to finish`);
}

/** The newest run a retrain action of this model's alerts started, with the alert that started it. */
export function lastRetrain(ctx: StoreContext, model: string): { alertId: number; runId: number } | undefined {
  return ctx
    .statement(
      `SELECT aa.alert_id AS alertId, aa.run_id AS runId FROM alert_actions aa JOIN alerts al ON al.id = aa.alert_id
       WHERE al.model = ? AND aa.action = 'retrain' AND aa.run_id IS NOT NULL ORDER BY aa.run_id DESC LIMIT 1`,
    )
    .get(model) as { alertId: number; runId: number } | undefined;
}

function actionsOf(ctx: StoreContext, alertId: number): AlertActionRecord[] {
  return ctx
    .statement(
      `SELECT action, outcome, detail, run_id AS runId, at FROM alert_actions WHERE alert_id = ?
       ORDER BY CASE action WHEN 'notify' THEN 0 WHEN 'retrain' THEN 1 ELSE 2 END`,
    )
    .all(alertId) as AlertActionRecord[];
}

/** SQLite has no NaN (it would come back as null anyway); say so explicitly. */
function storable(value: number | null): number | null {
  return value === null || Number.isNaN(value) ? null : value;
}

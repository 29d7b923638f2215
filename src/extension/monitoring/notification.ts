import type { AlertActionRecord, AlertKind, AlertRecord } from '../../core/monitor/types';

/** What one notification says about a burst of new alerts, and the model its button opens. */
export interface AlertNotification {
  message: string;
  /** The model of the newest alert: Show Monitoring opens its panel. */
  model: string;
}

/** Alerts named one by one in a notification about several; the rest are counted. */
const NAMED = 2;

const KIND_TEXT: Record<AlertKind, string> = { drift: 'drift', prediction_drift: 'prediction drift', performance: 'performance' };

/**
 * "fare drift: wasserstein 0.42 > 0.1" from the stored "fare: wasserstein 0.42 > 0.1"; a metric's
 * message ("accuracy 0.61 < 0.8 online") already says what it is.
 */
export function alertText(a: Pick<AlertRecord, 'kind' | 'subject' | 'message'>): string {
  const prefix = `${a.subject}: `;
  return a.message.startsWith(prefix) ? `${a.subject} ${KIND_TEXT[a.kind]}: ${a.message.slice(prefix.length)}` : a.message;
}

/**
 * What an action did, as people read it: "retrain: run #12 started", "rollback failed: …". The
 * notify action is the notification itself, so it says nothing here.
 */
export function actionText(x: Pick<AlertActionRecord, 'action' | 'outcome' | 'detail'>): string | undefined {
  if (x.action === 'notify') return undefined;
  switch (x.outcome) {
    case 'done':
      return `${x.action}: ${x.detail}`;
    case 'started':
      return `${x.action}: starting`;
    default:
      return `${x.action} ${x.outcome}: ${x.detail}`;
  }
}

/**
 * Alerts newest first (as listAlerts gives them): one notification for those whose pipeline asks to
 * be notified (`notify` in `monitor.actions`, recorded with the alert); the others are left to the
 * Monitoring panel.
 */
export function alertNotification(all: readonly AlertRecord[]): AlertNotification | undefined {
  const alerts = all.filter((a) => a.actions.some((x) => x.action === 'notify'));
  const newest = alerts[0];
  if (!newest) return undefined;
  if (alerts.length === 1) {
    const actions = newest.actions.map(actionText).filter((t): t is string => !!t);
    return { model: newest.model, message: [`MLOps: ${newest.model} v${newest.version} — ${alertText(newest)}`, ...actions].join(' · ') };
  }
  // Oldest first reads as what happened; a burst is usually one window of one model.
  const ordered = [...alerts].reverse();
  const models = [...new Set(ordered.map((a) => a.model))];
  const named = ordered.slice(0, NAMED).map((a) => (models.length > 1 ? `${a.model} v${a.version} ${alertText(a)}` : alertText(a)));
  const more = alerts.length - named.length;
  // Skipped actions (a retrain another alert of the window already started) would only repeat.
  const actions = [...new Set(ordered.flatMap((a) => a.actions.filter((x) => x.outcome !== 'skipped').map(actionText)).filter((t): t is string => !!t))];
  const who = models.length === 1 ? `${models[0]} v${[...new Set(ordered.map((a) => a.version))].join(', v')}` : models.join(' and ');
  const list = `${named.join('; ')}${more ? ` and ${more} more` : ''}`;
  return { model: newest.model, message: [`MLOps: ${alerts.length} new alerts for ${who}: ${list}`, ...actions].join(' · ') };
}

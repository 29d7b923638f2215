import type { AlertActionView, AlertView } from '../../src/shared/monitoring';
import { formatRelativeTime, formatTimestamp } from '../../src/core/util/format';
import { dataTable, h, icon } from '../common/dom';
import { note } from './cards';

const KIND_TEXT: Record<AlertView['kind'], string> = { drift: 'feature drift', prediction_drift: 'prediction drift', performance: 'performance' };
const OUTCOME_ICON: Record<AlertActionView['outcome'], string> = {
  started: 'loading codicon-modifier-spin',
  done: 'check',
  skipped: 'debug-step-over',
  failed: 'error',
};

/** An action and what it did; a retrain's run opens its details. */
function action(a: AlertActionView, openRun: (runId: number) => void): HTMLElement {
  const detail =
    a.runId !== null
      ? h('button', { class: 'link', testid: `alert-run-${a.runId}`, title: `Open run #${a.runId}`, on: { click: () => openRun(a.runId!) } }, a.detail)
      : a.detail;
  return h(
    'li',
    { class: `action outcome-${a.outcome}`, attrs: { 'data-action': a.action, 'data-outcome': a.outcome }, title: `${a.outcome} ${formatTimestamp(a.at)}` },
    icon(OUTCOME_ICON[a.outcome]),
    ' ',
    h('strong', null, a.action),
    a.outcome === 'done' ? ': ' : ` ${a.outcome}: `,
    detail,
  );
}

/** The model's alerts, newest first, with what their actions did. */
export function alertsSection(alerts: readonly AlertView[], openRun: (runId: number) => void): HTMLElement {
  const title = h('h2', null, `Alerts (${alerts.length})`);
  if (!alerts.length) {
    return h(
      'section',
      { class: 'alerts', testid: 'alerts' },
      title,
      note(
        'alerts-empty',
        "No alerts. A window raises one for each fired drift check and each failed metric bound; the pipeline's `monitor.actions` (notify, retrain, rollback) answer it.",
      ),
    );
  }
  const now = Date.now();
  const rows = alerts.map((a) =>
    h(
      'tr',
      { testid: 'alert-row', attrs: { 'data-alert-id': String(a.id), 'data-kind': a.kind } },
      h('td', { class: 'time', title: formatTimestamp(a.createdAt) }, formatRelativeTime(a.createdAt, now)),
      h('td', null, `v${a.version}`),
      h('td', { class: `kind kind-${a.kind}` }, KIND_TEXT[a.kind]),
      h('td', null, h('strong', null, a.subject)),
      h('td', { class: 'message', title: `the window ending ${formatTimestamp(a.windowEnd)} (${a.windowKey})` }, a.message),
      h('td', null, a.actions.length ? h('ul', { class: 'actions' }, ...a.actions.map((x) => action(x, openRun))) : h('span', { class: 'muted' }, 'none')),
    ),
  );
  return h(
    'section',
    { class: 'alerts', testid: 'alerts' },
    title,
    dataTable('alert-table', ['When', 'Version', 'Kind', 'Subject', 'Message', 'Actions'], rows),
  );
}

import * as path from 'node:path';
import { describeTrigger, triggerKindLabel } from '../../core/triggers/trigger';
import { formatDuration, formatTimestamp } from '../../core/util/format';
import type { WatchStatus } from './controller';

/** The status bar text: what is watched, and the last trigger's run. Pure, for tests. */
export function watchStatusText(status: WatchStatus): string {
  if (status.state === 'starting') return `$(loading~spin) Watching ${status.pipeline}…`;
  if (status.state === 'failed') return `$(error) ${status.pipeline}: not watched`;
  const last = status.last;
  if (!last) return `$(eye) ${status.pipeline}`;
  const run = last.runId === null ? last.status : `#${last.runId} ${last.status}`;
  const icon = last.status === 'running' ? '$(sync~spin)' : '$(zap)';
  return `$(eye) ${status.pipeline} · ${icon} ${triggerKindLabel(last.trigger)} → ${run}`;
}

/** The tooltip's rows: what it watches and the last trigger in full. */
export function watchTooltipRows(status: WatchStatus): [string, string][] {
  const rows: [string, string][] = [['Pipeline file', status.file]];
  const w = status.watching;
  const dir = path.dirname(status.file);
  if (w) {
    rows.push(['New spans', w.spans === null ? 'off' : `${path.relative(dir, w.spans)} (settled for ${formatDuration(w.settleMs)})`]);
    rows.push(['Schedule', w.schedule === null ? 'none' : `${w.schedule}${w.nextScheduled === null ? '' : ` · next ${formatTimestamp(w.nextScheduled)}`}`]);
    rows.push(['Alerts', w.alerts === null ? 'no retrain action in monitor.actions' : `${w.alerts} alerts with the retrain action`]);
  }
  const last = status.last;
  if (last) {
    const run = last.runId === null ? last.status : `run #${last.runId} ${last.status}`;
    rows.push(['Last trigger', `${describeTrigger(last.trigger, dir)} at ${formatTimestamp(last.at)} → ${run}${last.message ? `: ${last.message}` : ''}`]);
  }
  if (status.error) rows.push(['Error', status.error]);
  return rows;
}

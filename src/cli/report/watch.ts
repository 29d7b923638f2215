import * as path from 'node:path';
import type { WatchEvent } from '../../core/triggers/events';
import { describeTrigger } from '../../core/triggers/trigger';
import { formatDuration, formatTimestamp } from '../../core/util/format';
import { statusStyle, style } from '../style';

/** One `mlops watch` event as the lines a person reads; `dir` is the pipeline's folder, for short paths. */
export function renderWatchEvent(event: WatchEvent, dir: string): string {
  const rel = (file: string) => path.relative(dir, file) || file;
  switch (event.type) {
    case 'watching': {
      const what = [
        event.spans && `new spans matching ${rel(event.spans)} (settled for ${formatDuration(event.settleMs)})`,
        event.schedule && `schedule ${event.schedule}${event.nextScheduled === null ? '' : ` (next ${formatTimestamp(event.nextScheduled)})`}`,
        event.alerts && `monitoring alerts of ${event.alerts} with the retrain action`,
      ].filter(Boolean);
      return style.bold(`watching ${event.pipeline}`) + ` for ${what.join('; ')}. Ctrl+C stops.`;
    }
    case 'settling':
      return style.dim(`new file${event.files.length === 1 ? '' : 's'} ${event.files.map(rel).join(', ')}: waiting until written`);
    case 'trigger': {
      const what = describeTrigger(event.trigger, dir);
      if (event.outcome === 'started') return style.cyan(`▶ ${what}: running the pipeline`);
      return style.yellow(`${what}: ${event.outcome === 'queued' ? 'queued after the running run' : 'joins the queued run'}`);
    }
    case 'run-started':
      return style.dim(`run #${event.runId} started`);
    case 'run-finished': {
      const paint = statusStyle[event.status] ?? ((s: string) => s);
      return `run #${event.runId} ${paint(event.status)} (exit ${event.exitCode}) · details: mlops runs show ${event.runId}`;
    }
    case 'run-not-started':
      return style.red(`${describeTrigger(event.trigger, dir)}: no run: ${event.message}`) + style.dim(' (still watching)');
    case 'scheduled':
      return style.dim(event.next === null ? 'the schedule fires no more' : `next scheduled run ${formatTimestamp(event.next)}`);
    case 'stopped':
      return style.yellow(`${event.signal === 'SIGINT' ? 'Ctrl+C' : event.signal}: stopped watching`);
  }
}

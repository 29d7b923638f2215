import type { RunStatus, RunTrigger } from '../store/types';

/**
 * What `mlops watch` reports, one JSON object a line with `--json` (the editor's status bar reads
 * them) and as human lines otherwise.
 */
export type WatchEvent =
  | {
      type: 'watching';
      pipeline: string;
      file: string;
      /** The data.train pattern watched for new spans; null with `triggers.spans: false`. */
      spans: string | null;
      settleMs: number;
      schedule: string | null;
      /** The next scheduled time, epoch ms. */
      nextScheduled: number | null;
      /** The registry model whose alerts retrain (monitor.actions lists retrain); null when none do. */
      alerts: string | null;
    }
  /** New span files seen; they run once their size stops changing. */
  | { type: 'settling'; files: string[] }
  /** `started`: runs now; `queued`: runs after the current run; `merged`: joins the run already queued. */
  | { type: 'trigger'; trigger: RunTrigger; outcome: 'started' | 'queued' | 'merged' }
  | { type: 'run-started'; runId: number; trigger: RunTrigger }
  | { type: 'run-finished'; runId: number; status: RunStatus; exitCode: number; trigger: RunTrigger }
  /** A triggered run that could not start (a broken pipeline file): reported, and watching goes on. */
  | { type: 'run-not-started'; message: string; trigger: RunTrigger }
  | { type: 'scheduled'; next: number | null }
  | { type: 'stopped'; signal: string };

export function parseWatchEvent(line: string): WatchEvent | undefined {
  try {
    const value = JSON.parse(line) as { type?: unknown };
    return typeof value?.type === 'string' ? (value as WatchEvent) : undefined;
  } catch {
    return undefined;
  }
}

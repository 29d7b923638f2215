import type { ExecutionStatus, RunStatus } from '../store/types';

/**
 * Structured progress from a running pipeline, one JSON object per line, written by
 * `mlops run --events-fd N` to file descriptor N. The extension reads it to update the status bar
 * and the trees at once; the terminal shows the human progress on stdout.
 */
export type RunEvent =
  | { type: 'run-started'; runId: number; pipeline: string; file: string; components: string[] }
  | { type: 'component-started'; runId: number; component: string; executionId: number }
  | { type: 'component-progress'; runId: number; component: string; message: string; fraction?: number }
  | {
      type: 'component-finished';
      runId: number;
      component: string;
      executionId: number;
      status: ExecutionStatus;
      durationMs: number;
      /** One line for the terminal, e.g. "train 8,000 rows · eval 2,000 rows". */
      summary?: string;
      /** Complete, but with findings the pipeline chose not to stop on (anomalies under `stop_on: never`). */
      warning?: string;
      error?: string;
    }
  | { type: 'metric'; runId: number; component: string; key: string; step: number; value: number }
  | { type: 'run-finished'; runId: number; status: RunStatus; exitCode: number; durationMs: number; error?: string };

/** Exit codes of `mlops`: the contract CI scripts and the task runner rely on. */
export const ExitCode = {
  ok: 0,
  /** A gate failed: anomalies found, model not blessed. */
  gateFailed: 1,
  /** A user error: bad pipeline file, bad data, missing file, locked or corrupt store. */
  error: 2,
  /** Canceled by Ctrl+C, SIGTERM or the editor. */
  canceled: 130,
} as const;

export function parseRunEvent(line: string): RunEvent | undefined {
  try {
    const value = JSON.parse(line) as { type?: unknown; runId?: unknown };
    return typeof value?.type === 'string' && typeof value.runId === 'number' ? (value as RunEvent) : undefined;
  } catch {
    return undefined;
  }
}

import { spawn } from 'node:child_process';
import { closeSync, openSync, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseRunEvent } from '../runner/events';
import type { RunTrigger } from '../store/types';
import { UserError } from '../util/problems';

export interface TriggeredRunOptions {
  /** The `mlops` entry script (the running CLI's own, `process.argv[1]`). */
  cli: string;
  pipelineFile: string;
  storePath: string;
  trigger: RunTrigger;
  /** Where the run's terminal output goes: a log file, or this process's descriptors (1 or 2). */
  output: { file: string } | { stdout: 1 | 2 };
  /** A process group of its own, to outlive this process (`detach()` once started). */
  detached?: boolean;
}

export interface TriggeredRun {
  /** The run's id once it exists in the store; a UserError when `mlops run` stopped before (a broken pipeline file). */
  started: Promise<number>;
  /** The exit code of `mlops run` (128 + n for a signal). */
  finished: Promise<number>;
  /** Asks the run to cancel (SIGTERM: it cancels cleanly, as on Ctrl+C). */
  cancel(): void;
  /** Lets the run go on alone: nobody reads its later events and this process may exit before it. */
  detach(): void;
}

const EVENTS_FD = 3;
const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * The one place a run nobody typed starts (`mlops watch`, a monitor's retrain): `mlops run` in a
 * child process, as for a person, with `--trigger` so the run records what started it, and with the
 * same push policy as any pipeline run (a rolled-back version is never re-pointed).
 */
export function startTriggeredRun(o: TriggeredRunOptions): TriggeredRun {
  const args = [o.cli, 'run', o.pipelineFile, '--store', o.storePath, '--events-fd', String(EVENTS_FD), '--trigger', JSON.stringify(o.trigger)];
  const log = 'file' in o.output ? openSync(o.output.file, 'a') : undefined;
  const out = log ?? ('stdout' in o.output ? o.output.stdout : 1);
  const child = spawn(process.execPath, args, {
    detached: o.detached ?? false,
    stdio: ['ignore', out, log ?? 2, 'pipe'],
    env: log === undefined ? process.env : { ...process.env, NO_COLOR: '1' },
  });
  if (log !== undefined) closeSync(log);
  const events = child.stdio[EVENTS_FD] as Readable;
  const finished = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0)));
  });
  let runId: number | undefined;
  const started = new Promise<number>((resolve, reject) => {
    createInterface({ input: events }).on('line', (line) => {
      const event = parseRunEvent(line);
      if (event?.type === 'run-started' && runId === undefined) resolve((runId = event.runId));
    });
    finished.then(
      async (code) => runId === undefined && reject(await notStarted(o, code)),
      (error: Error) => reject(UserError.at(`cannot start mlops run: ${error.message}`, { file: o.pipelineFile })),
    );
  });
  // Whoever only waits for the end still learns why a run never started from `started`.
  started.catch(() => undefined);
  return {
    started,
    finished,
    cancel: () => child.kill('SIGTERM'),
    detach: () => {
      // The child ignores a closed events channel.
      events.destroy();
      child.unref();
    },
  };
}

async function notStarted(o: TriggeredRunOptions, code: number): Promise<UserError> {
  const tail = 'file' in o.output ? (await fs.readFile(o.output.file, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n') : 'its output is above';
  return UserError.at(`mlops run stopped (exit ${code}) before starting a run: ${tail || 'no output'}`, { file: o.pipelineFile });
}

import { spawn } from 'node:child_process';
import { closeSync, openSync, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseRunEvent } from '../runner/events';
import { UserError } from '../util/problems';
import type { AlertRecord } from './types';

export interface RetrainProcess {
  /** The `mlops` entry script (the running CLI's own, `process.argv[1]`). */
  cli: string;
  pipelineFile: string;
  storePath: string;
  /** Where the run's terminal output goes, e.g. `retrain-alert-12.log` beside the serving log. */
  logFile: (alert: AlertRecord) => string;
}

const EVENTS_FD = 3;

/**
 * Retrains by running the pipeline as `mlops run` does for a user: a detached child process that
 * outlives the monitor (training can take hours), its output in a log file. Resolves once the run
 * exists in the store (its `run-started` event), so the caller can tag it with its trigger; fails
 * with the tail of that output when the child stops before starting a run (a broken pipeline file).
 */
export function retrainInChildProcess(o: RetrainProcess): (alert: AlertRecord) => Promise<{ runId: number; detail: string }> {
  return async (alert) => {
    const logFile = o.logFile(alert);
    const out = openSync(logFile, 'a');
    try {
      const child = spawn(process.execPath, [o.cli, 'run', o.pipelineFile, '--store', o.storePath, '--events-fd', String(EVENTS_FD)], {
        detached: true,
        stdio: ['ignore', out, out, 'pipe'],
        env: { ...process.env, NO_COLOR: '1' },
      });
      const events = child.stdio[EVENTS_FD] as Readable;
      const runId = await new Promise<number | undefined>((resolve, reject) => {
        const lines = createInterface({ input: events });
        lines.on('line', (line) => {
          const event = parseRunEvent(line);
          if (event?.type === 'run-started') resolve(event.runId);
        });
        child.once('error', reject);
        child.once('exit', () => resolve(undefined));
      });
      // The run goes on alone; its later events have nobody to read them (the child ignores a closed channel).
      events.destroy();
      child.unref();
      if (runId === undefined) {
        const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-5).join('\n');
        throw UserError.at(`retraining did not start a run: ${tail || 'mlops run stopped without output'}`, { file: o.pipelineFile });
      }
      return { runId, detail: `output in ${logFile}` };
    } finally {
      closeSync(out);
    }
  };
}

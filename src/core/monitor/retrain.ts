import { startTriggeredRun } from '../triggers/launch';
import type { AlertRecord } from './types';

export interface RetrainProcess {
  /** The `mlops` entry script (the running CLI's own, `process.argv[1]`). */
  cli: string;
  pipelineFile: string;
  storePath: string;
  /** Where the run's terminal output goes, e.g. `retrain-alert-12.log` beside the serving log. */
  logFile: (alert: AlertRecord) => string;
}

/**
 * Retrains as a triggered run that outlives the monitor (training can take hours), its output in
 * a log file. Resolves once the run exists in the store; fails with the tail of that output when
 * `mlops run` stops before starting a run (a broken pipeline file).
 */
export function retrainInChildProcess(o: RetrainProcess): (alert: AlertRecord) => Promise<{ runId: number; detail: string }> {
  return async (alert) => {
    const logFile = o.logFile(alert);
    const run = startTriggeredRun({
      cli: o.cli,
      pipelineFile: o.pipelineFile,
      storePath: o.storePath,
      trigger: { kind: 'alert', alertId: alert.id, model: alert.model, message: alert.message },
      output: { file: logFile },
      detached: true,
    });
    const runId = await run.started;
    run.detach();
    return { runId, detail: `output in ${logFile}` };
  };
}

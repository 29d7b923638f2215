import { isMainThread } from 'node:worker_threads';
import type { TrainConfig } from '../pipeline/config';
import type { MetricPoint } from '../store/types';
import { isUserError } from '../util/problems';
import type { TrialJobResult } from './types';
import { errorMessage } from '../util/errorMessage';

/**
 * The worker side of the trial process pool (pool.ts). A worker process is Node evaluating
 * `require(<entry>)` with this variable set; the entry module checks isTrialWorkerProcess() when it
 * loads and, if so, serves trial jobs until the parent disconnects.
 */
export const TRIAL_WORKER_ENV = 'MLOPS_TRIAL_WORKER';

/** A trial job as it travels to a worker: plain data (structured clone). */
export interface WorkerJob {
  trial: number;
  /** Folders of the `transform_graph` and `transformed_examples` artifacts. */
  transformGraph: string;
  transformedExamples: string;
  /** The trial's train settings, `epochs` set to this job's budget. */
  config: TrainConfig;
  /** The trial's own folder: its checkpoints go inside. */
  checkpointDir: string;
  resume: boolean;
}

export interface WorkerCallbacks {
  signal: AbortSignal;
  onMetrics(points: MetricPoint[]): void;
  onBackend(backend: string): void;
  log(line: string): void;
}

/** What trains a job inside a worker: trainModel's (trainWorker.ts), or a test's stand-in. */
export type WorkerTrain = (job: WorkerJob, callbacks: WorkerCallbacks) => Promise<TrialJobResult>;

export type ToWorker = { type: 'job'; job: WorkerJob } | { type: 'abort' };

export type FromWorker =
  | { type: 'metrics'; points: MetricPoint[] }
  | { type: 'backend'; backend: string }
  | { type: 'log'; line: string }
  | { type: 'result'; result: TrialJobResult }
  /** A user's error carries its message only; anything else also its stack, for the log. */
  | { type: 'error'; message: string; stack?: string }
  | { type: 'canceled' };

export function isTrialWorkerProcess(): boolean {
  return isMainThread && process.env[TRIAL_WORKER_ENV] === '1' && typeof process.send === 'function';
}

export function serveTrialJobs(train: WorkerTrain): void {
  // Processes this worker starts itself are not trial workers.
  delete process.env[TRIAL_WORKER_ENV];
  const send = (message: FromWorker) => {
    if (process.connected) process.send!(message);
  };
  let current: AbortController | undefined;
  // The parent closed the channel (closing the pool, or it died): nothing is left to report to.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToWorker) => {
    if (message.type === 'abort') {
      current?.abort();
      return;
    }
    const controller = new AbortController();
    current = controller;
    const callbacks: WorkerCallbacks = {
      signal: controller.signal,
      onMetrics: (points) => send({ type: 'metrics', points }),
      onBackend: (backend) => send({ type: 'backend', backend }),
      log: (line) => send({ type: 'log', line }),
    };
    train(message.job, callbacks).then(
      (result) => send(controller.signal.aborted ? { type: 'canceled' } : { type: 'result', result }),
      (e: unknown) =>
        send(
          controller.signal.aborted
            ? { type: 'canceled' }
            : isUserError(e)
              ? { type: 'error', message: e.message }
              : { type: 'error', message: errorMessage(e), stack: e instanceof Error ? e.stack : undefined },
        ),
    );
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { TRAIN_WORKER_ENTRY } from './trainWorker';
import type { TrialJob, TrialJobResult } from './types';
import { TRIAL_WORKER_ENV, type FromWorker, type ToWorker } from './worker';

export interface TrialProcessPoolOptions {
  /** Worker processes at most (tune.parallel); they start when trials need them. */
  size: number;
  transformGraph: string;
  transformedExamples: string;
  /**
   * The module a worker process loads; it serves trial jobs when it sees it is a worker. Default:
   * trainWorker.ts (trainModel), which in the esbuild bundle is the bundle itself, dist/mlops.js.
   */
  entry?: string;
  /** How long a worker asked to stop (cancel, pool closed) may take before it is killed. */
  killAfterMs?: number;
}

const DEFAULT_KILL_AFTER_MS = 10_000;
/** Lines of a worker's own output kept for the message when it dies. */
const OUTPUT_TAIL_LINES = 8;

interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<void>;
  /** The last lines the process wrote to stdout/stderr. */
  output: string[];
  dead: boolean;
}

/**
 * Trials side by side in worker processes: each process trains one trial job at a time and stays
 * for the next (tfjs loads once per process). A process that dies fails only the job it had; the
 * next job starts a new one. Cancelling a job asks its worker to abort training, and kills it if it
 * does not answer in time; closing the pool ends every worker, so none outlives the tuning.
 *
 * Workers are `node -e "require(<entry>)"` with an IPC channel rather than `fork(<entry>)`: fork
 * would make the entry the main module, and in the bundle the main module is the CLI. Required
 * from -e, `require.main` is unset, so the CLI's `require.main === module` guard keeps it quiet
 * while the module's own check starts the worker (the statistics worker threads do the same).
 */
export class TrialProcessPool {
  private readonly idle: WorkerProcess[] = [];
  private readonly workers = new Set<WorkerProcess>();
  private readonly waiting: { take(worker: WorkerProcess | undefined): void; fail(e: unknown): void }[] = [];
  private closed = false;

  constructor(private readonly options: TrialProcessPoolOptions) {}

  /** A TrialRunner that trains the job in a worker process. */
  readonly run = async (job: TrialJob): Promise<TrialJobResult> => {
    const worker = await this.acquire();
    try {
      return await this.runOn(worker, job);
    } finally {
      this.release(worker);
    }
  };

  /** Ends every worker (killing the ones that do not exit in time) and waits until they are gone. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.fail(new Error('the trial pool is closed'));
    await Promise.all([...this.workers].map((w) => this.stop(w)));
  }

  /** Process ids of the live workers (for checks that none is left behind). */
  get pids(): number[] {
    return [...this.workers].map((w) => w.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  private acquire(): Promise<WorkerProcess> {
    if (this.closed) return Promise.reject(new Error('the trial pool is closed'));
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.workers.size < this.options.size) return Promise.resolve(this.spawn());
    return new Promise((resolve, reject) => this.waiting.push({ take: (worker) => resolve(worker ?? this.spawn()), fail: reject }));
  }

  private release(worker: WorkerProcess): void {
    const alive = !worker.dead && !this.closed;
    const waiter = this.waiting.shift();
    if (waiter) waiter.take(alive ? worker : undefined);
    else if (alive) this.idle.push(worker);
  }

  private spawn(): WorkerProcess {
    const entry = this.options.entry ?? TRAIN_WORKER_ENTRY;
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(entry)})`], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Structured clone keeps NaN and Infinity in metric values (JSON would turn them into null).
      serialization: 'advanced',
      env: { ...process.env, [TRIAL_WORKER_ENV]: '1' },
      windowsHide: true,
    });
    const worker: WorkerProcess = { child, output: [], dead: false, exited: undefined! };
    const gone = () => {
      worker.dead = true;
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    };
    // Gone once it exited (or could not start) and its output pipes are closed. Not the 'close'
    // event: Node 20 never emits it for a child whose IPC channel the parent disconnected.
    const ended = (stream: NodeJS.EventEmitter, ...events: string[]) => new Promise<void>((resolve) => events.forEach((e) => stream.once(e, () => resolve())));
    worker.exited = Promise.all([ended(child, 'exit', 'error'), ended(child.stdout!, 'close'), ended(child.stderr!, 'close')]).then(() => {
      gone();
      this.workers.delete(worker);
    });
    child.once('exit', gone);
    const keep = (chunk: Buffer) => {
      worker.output.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
      worker.output.splice(0, Math.max(0, worker.output.length - OUTPUT_TAIL_LINES));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.workers.add(worker);
    return worker;
  }

  private runOn(worker: WorkerProcess, job: TrialJob): Promise<TrialJobResult> {
    const { child } = worker;
    return new Promise<TrialJobResult>((resolve, reject) => {
      let backend: string | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      const settle = (outcome: () => void) => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        job.signal.removeEventListener('abort', onAbort);
        clearTimeout(killTimer);
        outcome();
      };
      const onMessage = (m: FromWorker) => {
        switch (m.type) {
          case 'metrics':
            return job.onMetrics(m.points);
          case 'backend':
            backend = m.backend;
            return;
          case 'log':
            return job.log(m.line);
          case 'result':
            return settle(() => resolve({ ...m.result, backend: m.result.backend ?? backend }));
          case 'error':
            if (m.stack) job.log(m.stack);
            return settle(() => reject(new Error(m.message)));
          case 'canceled':
            return settle(() => reject(job.signal.reason));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        if (job.signal.aborted) return settle(() => reject(job.signal.reason));
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        // Its output may still be arriving: read it once the pipes are closed.
        void worker.exited.then(() => {
          const output = worker.output.length ? `; its last output:\n${worker.output.join('\n')}` : '';
          settle(() => reject(new Error(`the worker process training trial ${job.trial} ${how} before finishing${output}`)));
        });
      };
      const onAbort = () => {
        send(child, { type: 'abort' });
        killTimer = setTimeout(() => child.kill('SIGKILL'), this.options.killAfterMs ?? DEFAULT_KILL_AFTER_MS);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (job.signal.aborted) return settle(() => reject(job.signal.reason));
      if (worker.dead) return onExit(child.exitCode, child.signalCode);
      job.signal.addEventListener('abort', onAbort, { once: true });
      send(child, {
        type: 'job',
        job: {
          trial: job.trial,
          transformGraph: this.options.transformGraph,
          transformedExamples: this.options.transformedExamples,
          config: job.config,
          checkpointDir: job.checkpointDir,
          resume: job.resume,
        },
      });
    });
  }

  private async stop(worker: WorkerProcess): Promise<void> {
    if (worker.child.connected) worker.child.disconnect();
    const timer = setTimeout(() => worker.child.kill('SIGKILL'), this.options.killAfterMs ?? DEFAULT_KILL_AFTER_MS);
    await worker.exited;
    clearTimeout(timer);
  }
}

function send(child: ChildProcess, message: ToWorker): void {
  if (child.connected) child.send(message);
}

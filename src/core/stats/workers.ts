import * as os from 'os';
import { parentPort, Worker } from 'worker_threads';
import { BoolColumn, ColumnBatch, NumberColumn, StringColumn, type ColumnView } from '../data/examples/columns';
import { runCsvBlock, type CsvBlockTask } from './csv/blockTask';
import { rowGroupPartial, type RowGroupPlan } from './rowGroup';
import { isStatisticsWorkerThread, STATS_WORKER_MARKER } from './workerThread';

/**
 * Worker threads for statistics. The worker runs the module that holds this code, started through
 * `eval` as `require(<file>)` with a marker in workerData: under tsc that file is this module's
 * own `workers.js`; in the esbuild bundle it is the bundle itself (`dist/mlops.js`), whose entry
 * (src/cli/main.ts) loads this module in a worker instead of starting the CLI. So no second bundle
 * entry is needed. Where a worker cannot start (a bundle whose top level needs `vscode`,
 * say), the pool reports itself broken and the callers compute in-thread: the results are the same.
 */

export type StatsTask = { kind: 'rowGroup'; batch: PortableBatch; plan: RowGroupPlan } | { kind: 'csvBlock'; task: CsvBlockTask };

/** A ColumnBatch as structured-clonable data (typed arrays keep their views). */
export interface PortableBatch {
  rows: number;
  span?: string;
  columns: {
    name: string;
    type: ColumnView['type'] | 'int' | 'float';
    values?: Float64Array | Uint8Array;
    codes?: Int32Array;
    dictionary?: readonly string[];
    valid: Uint8Array;
  }[];
}

export function portableBatch(batch: ColumnBatch): PortableBatch {
  return {
    rows: batch.rows,
    span: batch.span,
    columns: batch.columns.map((c) =>
      c.type === 'string'
        ? { name: c.name, type: c.type, codes: c.codes, dictionary: c.dictionary, valid: c.valid }
        : { name: c.name, type: c.type, values: c.values, valid: c.valid },
    ),
  };
}

export function batchOf(p: PortableBatch): ColumnBatch {
  const views = p.columns.map((c): ColumnView => {
    switch (c.type) {
      case 'int':
      case 'float':
        return new NumberColumn(c.name, c.type, c.values as Float64Array, c.valid);
      case 'bool':
        return new BoolColumn(c.name, c.values as Uint8Array, c.valid);
      default:
        return new StringColumn(c.name, c.codes!, c.dictionary!, c.valid);
    }
  });
  return new ColumnBatch(p.rows, views, p.span);
}

/** The work itself, the same in a worker and in-thread. */
export function runTask(task: StatsTask): unknown {
  return task.kind === 'rowGroup' ? rowGroupPartial(batchOf(task.batch), task.plan) : runCsvBlock(task.task);
}

/** Workers to use: the cores, at most 4 (beyond that the merge on the main thread is the limit). */
export function defaultPoolSize(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

type Reply = { ok: boolean; value?: unknown; error?: string };

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class StatsPool {
  private readonly idle: Worker[] = [];
  private readonly queue: { task: StatsTask; transfer: ArrayBuffer[]; pending: Pending }[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private closed = false;

  private constructor(private readonly workers: Worker[]) {
    this.idle.push(...workers);
  }

  /** Starts `size` workers; undefined when they cannot start here (the caller computes in-thread). */
  static async start(size: number, entry = __filename): Promise<StatsPool | undefined> {
    const workers: Worker[] = [];
    let pool: StatsPool | undefined;
    try {
      const started = Array.from({ length: size }, () => {
        const worker = new Worker(`require(${JSON.stringify(entry)});`, { eval: true, workerData: { [STATS_WORKER_MARKER]: true } });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          // One set of listeners for the worker's life (removeAllListeners would also drop the
          // ones Node uses to keep the worker's port referenced).
          worker.on('message', (m: 'ready' | Reply) => (m === 'ready' ? resolve() : pool?.finished(worker, m)));
          worker.on('error', (e) => (pool ? pool.failed(worker, e) : reject(e)));
          worker.on('exit', () =>
            pool ? pool.failed(worker, new Error('statistics worker exited')) : reject(new Error('statistics worker exited during start')),
          );
        });
      });
      await Promise.all(started);
    } catch {
      await Promise.all(workers.map((w) => w.terminate()));
      return undefined;
    }
    pool = new StatsPool(workers);
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  run<T>(task: StatsTask, transfer: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new Error('the statistics pool is closed'));
      this.queue.push({ task, transfer, pending: { resolve: resolve, reject } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const item of this.queue.splice(0)) item.pending.reject(new Error('the statistics pool was closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const item = this.queue.shift()!;
      this.busy.set(worker, item.pending);
      worker.postMessage(item.task, item.transfer);
    }
  }

  private finished(worker: Worker, m: Reply): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle.push(worker);
    if (m.ok) pending?.resolve(m.value);
    else pending?.reject(new Error(m.error));
    this.dispatch();
  }

  private failed(worker: Worker, error: unknown): void {
    const pending = this.busy.get(worker);
    this.busy.delete(worker);
    if (!this.closed) pending?.reject(error);
  }
}

function serve(): void {
  const port = parentPort!;
  port.on('message', (task: StatsTask) => {
    try {
      port.postMessage({ ok: true, value: runTask(task) });
    } catch (e) {
      port.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
  port.postMessage('ready');
}

if (isStatisticsWorkerThread()) serve();

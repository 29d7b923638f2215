import type { LoadedModel, Prediction } from '../model/types';
import type { RawRow } from '../transform/types';
import { PredictBatcher } from './batcher';
import { inputSchema, type InputSchema } from './inputs';

/** A version held for one request: predict with it, then release it (exactly once). */
export interface Lease {
  readonly version: number;
  readonly model: LoadedModel;
  readonly schema: InputSchema;
  predict(rows: readonly RawRow[]): Promise<Prediction[]>;
  release(): void;
}

/**
 * One loaded, warmed version and the requests using it. Retiring it (a newer version took its
 * place, its folder went away) stops new leases from the server's side; the model is disposed
 * when the last lease is released, so a request that started on it finishes on it.
 */
export class ServedVersion {
  private refs = 0;
  private retired = false;
  private disposed = false;
  private drainedWaiters: (() => void)[] = [];
  /** When a lease was last taken or released (ms). */
  lastUsed: number;
  readonly schema: InputSchema;
  private readonly batcher: PredictBatcher;

  constructor(
    readonly version: number,
    readonly model: LoadedModel,
    maxBatchRows: number,
    private readonly now: () => number,
    private readonly onDisposed: (version: number) => void,
  ) {
    this.schema = inputSchema(model);
    this.batcher = new PredictBatcher((rows) => model.predict(rows), maxBatchRows);
    this.lastUsed = now();
  }

  get inUse(): boolean {
    return this.refs > 0;
  }

  lease(): Lease {
    if (this.retired) throw new Error(`version ${this.version} is retired and takes no new requests`);
    this.refs++;
    this.lastUsed = this.now();
    let released = false;
    return {
      version: this.version,
      model: this.model,
      schema: this.schema,
      predict: (rows) => this.batcher.predict(rows),
      release: () => {
        if (released) return;
        released = true;
        this.refs--;
        this.lastUsed = this.now();
        if (this.refs === 0) this.settle();
      },
    };
  }

  retire(): void {
    this.retired = true;
    if (this.refs === 0) this.settle();
  }

  /** Resolves when no request holds this version any more. */
  drained(): Promise<void> {
    return this.refs === 0 ? Promise.resolve() : new Promise((resolve) => this.drainedWaiters.push(resolve));
  }

  private settle(): void {
    const waiters = this.drainedWaiters;
    this.drainedWaiters = [];
    waiters.forEach((w) => w());
    if (this.retired && !this.disposed) {
      this.disposed = true;
      this.model.dispose();
      this.onDisposed(this.version);
    }
  }
}

import type { Prediction } from '../model/types';
import type { RawRow } from '../transform/types';
import { isUserError } from '../util/problems';

type Predict = (rows: readonly RawRow[]) => Promise<Prediction[]>;

/** Turns a batch may stay open: bounds the wait a batch adds to its first request. */
export const MAX_OPEN_TURNS = 4;

interface Pending {
  rows: readonly RawRow[];
  resolve(predictions: Prediction[]): void;
  reject(error: unknown): void;
}

/**
 * Requests that arrive together are predicted in one call, in batches of up to `maxRows` rows. One
 * model call has a fixed cost far above its cost per row, so concurrent single-row clients share it.
 * The batch stays open from one event-loop turn to the next while new requests keep arriving (each
 * turn polls the sockets once), for at most `MAX_OPEN_TURNS` turns: a lone request waits one idle
 * turn (microseconds), while under load a batch gathers what several polls bring. A row's prediction
 * does not depend on the rows beside it (each output row is computed from its own input row only),
 * so batching changes no number.
 */
export class PredictBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  /** Rows queued when the open batch last looked, and how many turns it has been open. */
  private seenRows = 0;
  private openTurns = 0;
  private scheduled = false;

  constructor(
    private readonly model: Predict,
    private readonly maxRows: number,
  ) {}

  predict(rows: readonly RawRow[]): Promise<Prediction[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.turn());
      }
    });
  }

  /** Once per event-loop turn while a batch is open: close it when a turn brought nothing new. */
  private turn(): void {
    const growing = this.queuedRows > this.seenRows && this.queuedRows < this.maxRows && this.openTurns < MAX_OPEN_TURNS;
    if (growing) {
      this.seenRows = this.queuedRows;
      this.openTurns++;
      setImmediate(() => this.turn());
      return;
    }
    void this.flush();
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    this.queuedRows = 0;
    this.seenRows = 0;
    this.openTurns = 0;
    let group: Pending[] = [];
    let size = 0;
    for (const pending of queue) {
      if (group.length && size + pending.rows.length > this.maxRows) {
        await this.run(group);
        group = [];
        size = 0;
      }
      group.push(pending);
      size += pending.rows.length;
    }
    if (group.length) await this.run(group);
  }

  private async run(group: Pending[]): Promise<void> {
    if (group.length === 1) {
      await this.model(group[0].rows).then(group[0].resolve, group[0].reject);
      return;
    }
    let predictions: Prediction[];
    try {
      predictions = await this.model(group.flatMap((p) => p.rows));
    } catch (e) {
      // A value only the transform could refuse fails its own request, not its neighbours'.
      if (!isUserError(e)) group.forEach((p) => p.reject(e));
      else for (const p of group) await this.model(p.rows).then(p.resolve, p.reject);
      return;
    }
    let at = 0;
    for (const p of group) {
      p.resolve(predictions.slice(at, at + p.rows.length));
      at += p.rows.length;
    }
  }
}

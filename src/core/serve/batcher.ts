import type { Prediction } from '../model/types';
import type { RawRow } from '../transform/types';
import { isUserError } from '../util/problems';

type Predict = (rows: readonly RawRow[]) => Promise<Prediction[]>;

interface Pending {
  rows: readonly RawRow[];
  resolve(predictions: Prediction[]): void;
  reject(error: unknown): void;
}

/**
 * Requests that arrive together are predicted in one call: everything queued by the time the
 * event loop turns (all the requests read from the sockets in one poll) goes to the model as one
 * batch of up to `maxRows` rows. One model call has a fixed cost far above its cost per row, so
 * concurrent single-row clients share it. A row's prediction does not depend on the rows beside
 * it (each output row is computed from its own input row only), so batching changes no number.
 */
export class PredictBatcher {
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly model: Predict,
    private readonly maxRows: number,
  ) {}

  predict(rows: readonly RawRow[]): Promise<Prediction[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
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

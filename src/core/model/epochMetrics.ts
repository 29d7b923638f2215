import type { TaskType } from '../pipeline/config';
import { addToConfusion, argmax, aucFromRankedCounts, binaryAccuracy, precision, recall, rocAuc, type Confusion } from './metrics';

/** Metrics each task can report besides `loss` (Keras names), and the ones reported by default. */
export const TASK_METRICS: Record<TaskType, readonly string[]> = {
  binary: ['auc', 'accuracy', 'precision', 'recall'],
  multiclass: ['accuracy'],
  regression: ['mae', 'rmse'],
};

/** One batch's model outputs: probabilities (binary: P(positive); multiclass: per class) or values. */
export interface BatchOutputs {
  size: number;
  labels: Float32Array;
  outputs: Float32Array;
  /** Mean loss of the batch (what it contributes, weighted by its size). */
  loss: number;
}

/**
 * Accumulates one epoch's metrics over batches with bounded memory, except `auc` with
 * `exactAuc`, which keeps every score (4 bytes plus a label per row) to rank them exactly; the
 * trainer asks for that on validation data. Training AUC ranks a fine score histogram instead:
 * pairs falling in one of its 2^16 bins count as ties, a difference far below the epoch-to-epoch
 * change, and memory stays flat however many rows an epoch streams.
 */
export class EpochMetrics {
  private rows = 0;
  private lossSum = 0;
  private readonly confusion: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  private correct = 0;
  private absoluteError = 0;
  private squaredError = 0;
  private readonly scores?: ScoreStore;

  constructor(
    private readonly task: TaskType,
    private readonly classes: number,
    private readonly names: readonly string[],
    exactAuc: boolean,
  ) {
    if (names.includes('auc')) this.scores = exactAuc ? new ExactScores() : new ScoreHistogram();
  }

  add(batch: BatchOutputs): void {
    this.rows += batch.size;
    this.lossSum += batch.loss * batch.size;
    const { labels, outputs } = batch;
    for (let i = 0; i < batch.size; i++) {
      const label = labels[i];
      if (this.task === 'binary') {
        addToConfusion(this.confusion, label, outputs[i]);
        this.scores?.add(label, outputs[i]);
      } else if (this.task === 'multiclass') {
        if (argmax(outputs, i * this.classes, this.classes) === label) this.correct++;
      } else {
        const error = outputs[i] - label;
        this.absoluteError += Math.abs(error);
        this.squaredError += error * error;
      }
    }
  }

  /** The metrics by Keras name, `loss` first. */
  result(): Record<string, number> {
    const n = Math.max(this.rows, 1);
    const all: Record<string, () => number> = {
      auc: () => this.scores!.auc(),
      accuracy: () => (this.task === 'binary' ? binaryAccuracy(this.confusion) : this.correct / n),
      precision: () => precision(this.confusion),
      recall: () => recall(this.confusion),
      mae: () => this.absoluteError / n,
      rmse: () => Math.sqrt(this.squaredError / n),
    };
    const out: Record<string, number> = { loss: this.lossSum / n };
    for (const name of this.names) out[name] = all[name]();
    return out;
  }
}

interface ScoreStore {
  add(label: number, score: number): void;
  auc(): number;
}

class ExactScores implements ScoreStore {
  private labels = new Uint8Array(1024);
  private scores = new Float32Array(1024);
  private size = 0;

  add(label: number, score: number): void {
    if (this.size === this.scores.length) {
      const labels = new Uint8Array(this.size * 2);
      labels.set(this.labels);
      const scores = new Float32Array(this.size * 2);
      scores.set(this.scores);
      [this.labels, this.scores] = [labels, scores];
    }
    this.labels[this.size] = label >= 0.5 ? 1 : 0;
    this.scores[this.size++] = score;
  }

  auc(): number {
    return rocAuc(this.labels.subarray(0, this.size), this.scores.subarray(0, this.size));
  }
}

const BINS = 1 << 16;

class ScoreHistogram implements ScoreStore {
  private readonly positives = new Float64Array(BINS);
  private readonly negatives = new Float64Array(BINS);

  add(label: number, score: number): void {
    // Highest scores in bin 0, so the bins are already in the decreasing order the AUC reads.
    const bin = BINS - 1 - Math.min(BINS - 1, Math.max(0, Math.floor(score * BINS)));
    (label >= 0.5 ? this.positives : this.negatives)[bin]++;
  }

  auc(): number {
    return aucFromRankedCounts(this.positives, this.negatives);
  }
}

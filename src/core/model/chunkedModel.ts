import type { FittedTransform, RawRow } from '../transform/types';
import { predictionDecoder, type PredictionDecoder } from './predictions';
import type { LoadedModel, ModelManifest, Prediction } from './types';

/** Rows transformed and predicted together: bounds memory for large batch predictions. */
const PREDICT_CHUNK = 4096;

/** A chunk's predictions, and with them, when asked, each row's label as the package encodes it (NaN when missing or unknown). */
export interface ChunkScores {
  predictions: Prediction[];
  labels?: Float32Array;
}

/** A loaded package predicting in chunks, so a large batch prediction holds one chunk's tensors at a time. */
export abstract class ChunkedModel implements LoadedModel {
  protected readonly decode: PredictionDecoder;

  constructor(
    readonly dir: string,
    readonly manifest: ModelManifest,
    readonly transform: FittedTransform,
  ) {
    this.decode = predictionDecoder(manifest);
  }

  async predict(rows: readonly RawRow[]): Promise<Prediction[]> {
    return (await this.inChunks(rows, false)).predictions;
  }

  async predictLabelled(rows: readonly RawRow[]): Promise<{ predictions: Prediction[]; labels: Float32Array }> {
    return this.inChunks(rows, true);
  }

  private async inChunks(rows: readonly RawRow[], withLabels: boolean): Promise<{ predictions: Prediction[]; labels: Float32Array }> {
    const predictions: Prediction[] = [];
    const labels = new Float32Array(withLabels ? rows.length : 0);
    for (let at = 0; at < rows.length; at += PREDICT_CHUNK) {
      const scored = await this.score(rows.slice(at, at + PREDICT_CHUNK), withLabels);
      for (const p of scored.predictions) predictions.push(p);
      if (withLabels) labels.set(scored.labels!, at);
    }
    return { predictions, labels };
  }

  /** Predictions for a chunk of raw rows, with its labels when `withLabels`. */
  protected abstract score(rows: readonly RawRow[], withLabels: boolean): Promise<ChunkScores>;

  abstract dispose(): void;
}

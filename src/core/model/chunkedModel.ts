import { transformRows } from '../transform/row';
import type { FittedTransform, RawRow, TransformedBatch } from '../transform/types';
import { predictionDecoder, type PredictionDecoder } from './predictions';
import type { LoadedModel, ModelManifest, Prediction } from './types';

/** Rows transformed and predicted together: bounds memory for large batch predictions. */
const PREDICT_CHUNK = 4096;

/**
 * A loaded package predicting in chunks: each chunk goes through the package's transform (which
 * encodes the labels, and the features a tfjs model reads), then the flavor's own scoring.
 */
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
    return (await this.predictLabelled(rows)).predictions;
  }

  async predictLabelled(rows: readonly RawRow[]): Promise<{ predictions: Prediction[]; labels: Float32Array }> {
    const predictions: Prediction[] = [];
    const labels = new Float32Array(rows.length);
    for (let at = 0; at < rows.length; at += PREDICT_CHUNK) {
      const chunk = rows.slice(at, at + PREDICT_CHUNK);
      const batch = transformRows(this.transform, chunk);
      for (const p of await this.score(chunk, batch)) predictions.push(p);
      labels.set(batch.label.subarray(0, batch.size), at);
    }
    return { predictions, labels };
  }

  /** Predictions for a chunk, given as raw rows and as the transform made them. */
  protected abstract score(rows: readonly RawRow[], batch: TransformedBatch): Promise<Prediction[]>;

  abstract dispose(): void;
}

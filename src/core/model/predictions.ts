import { UserError, type SourceLocation } from '../util/problems';
import { argmax } from './metrics';
import type { ModelManifest, Prediction } from './types';

/** Turns row `row` of a model's output (`width` values per row) into a prediction. */
export type PredictionDecoder = (values: ArrayLike<number>, row: number, width?: number) => Prediction;

/**
 * How a package's output reads, by task: one value (regression, or P(positive) of a binary model),
 * or one probability per class. A binary output of width 2 (P(negative), P(positive)), as ONNX
 * classifiers give, reads its second value.
 */
export function predictionDecoder(manifest: ModelManifest): PredictionDecoder {
  const classes = manifest.signature.classes ?? [];
  switch (manifest.task) {
    case 'regression':
      return (values, row, width = 1) => ({ score: values[row * width] });
    case 'binary':
      return (values, row, width = 1) => {
        const p = values[row * width + width - 1];
        return { score: p, probabilities: [1 - p, p], label: classes[p >= 0.5 ? 1 : 0] };
      };
    case 'multiclass':
      return (values, row, width = classes.length) => {
        const probabilities = Array.from({ length: width }, (_, c) => values[row * width + c]);
        const top = argmax(values, row * width, width);
        return { score: probabilities[top], probabilities, label: classes[top] };
      };
  }
}

/**
 * A problem of the model itself, not of one row (its output is not a probability, has the wrong
 * width): scoring stops with it, where a row's own problem only skips that row.
 */
export class ModelFault extends UserError {
  static in(message: string, location: SourceLocation, hint?: string): ModelFault {
    return new ModelFault({ message, severity: 'error', location, hint });
  }
}

import type { ModelManifest, Prediction } from '../model/types';
import type { CsvValue } from '../util/csvText';

/**
 * The columns a prediction takes in a CSV (`mlops predict`, the evaluation's predictions artifact):
 * `prediction` (class or value), then `score` = P(positive) for a binary model or one
 * `probability_<class>` per class for a multi-class one.
 */
export function predictionColumns(manifest: Pick<ModelManifest, 'task' | 'signature'>): string[] {
  switch (manifest.task) {
    case 'binary':
      return ['prediction', 'score'];
    case 'multiclass':
      return ['prediction', ...(manifest.signature.classes ?? []).map((c) => `probability_${c}`)];
    case 'regression':
      return ['prediction'];
  }
}

/** The cells of `predictionColumns` for one prediction; empty cells when the row could not be scored. */
export function predictionCells(manifest: Pick<ModelManifest, 'task' | 'signature'>, p: Prediction | undefined): CsvValue[] {
  if (!p) return predictionColumns(manifest).map(() => null);
  switch (manifest.task) {
    case 'binary':
      return [p.label, p.score];
    case 'multiclass':
      return [p.label, ...(p.probabilities ?? [])];
    case 'regression':
      return [p.score];
  }
}

import type { EvaluateConfig } from '../pipeline/config';
import type { EvaluationReport, EvaluationTask, ModelRef } from './report';

export * from './report';

/** A raw feature value as the examples or a CSV hold it. */
export type FeatureValue = string | number | boolean | null;

/**
 * One model's predictions on the evaluated rows, row-aligned with `EvaluationData.labels`:
 * binary P(positive), the regression value, or for multiclass the n × k probabilities.
 */
export interface ModelScores {
  scores: Float64Array;
  /** Multiclass only: row-major n × classes. */
  probabilities?: Float64Array;
}

/** The evaluated rows: labels, the candidate's (and baseline's) predictions and the slice features. */
export interface EvaluationData {
  task: EvaluationTask;
  /** Classifiers: class names in output order (binary: [negative, positive]). */
  classes?: string[];
  /** Binary 0/1, multiclass class index, regression value. */
  labels: Float64Array;
  candidate: ModelScores;
  /** The baseline model's predictions on the same rows. */
  baseline?: ModelScores;
  /** Values of every feature a slice or a fairness entry names, per row; a missing name is a UserError at the entry. */
  features: ReadonlyMap<string, readonly FeatureValue[]>;
}

export interface EvaluateRequest {
  data: EvaluationData;
  settings: EvaluateConfig;
  candidate: ModelRef;
  baseline?: ModelRef;
  /** Describes the rows for the report, e.g. "split eval of run #12". */
  source: { description: string; skippedRows: number };
  /** Seeds the bootstrap, so the same inputs give the same report. */
  seed: number;
}

/** Pure: the whole report (metrics, slices, intervals, fairness, blessing) from predictions. */
export type Evaluate = (request: EvaluateRequest) => EvaluationReport;

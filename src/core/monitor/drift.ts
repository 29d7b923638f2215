import type { Value } from '../data/cells';
import type { EvaluationTask } from '../evaluate/report';
import type { ValidateConfig } from '../pipeline/config';
import type { ComparatorThresholds, DataSchema } from '../schema/types';
import type { ServedRecord } from '../serve/log';
import { quantileView } from '../stats';
import type { FeaturePlan } from '../stats/datasets';
import type { DatasetStatistics } from '../stats/types';
import { compareDatasets } from '../validate';
import type { ComparatorResult } from '../validate/types';

/** Evidently's choice by sample size and column kind (see validate/compare.ts), for features nobody set thresholds on. */
const AUTOMATIC: ComparatorThresholds = { auto: true };

export const EMPTY_SCHEMA: DataSchema = { version: 1, features: {} };

export interface ThresholdSources {
  /** `monitor.drift` of the pipeline file. */
  monitor: Record<string, ComparatorThresholds>;
  /** `validate.skew` / `validate.drift` of the pipeline file. */
  validate?: Pick<ValidateConfig, 'skew' | 'drift'>;
  schema: DataSchema;
}

/**
 * The thresholds each served feature is compared with. Served rows against training data is what
 * TFDV calls skew, so skew thresholds come first, then the span-to-span drift thresholds, each
 * with the pipeline file over the schema as in validation; `monitor.drift` overrides them all.
 */
export function driftThresholds(features: readonly string[], sources: ThresholdSources): Record<string, ComparatorThresholds> {
  const schemaOf = (name: string) => sources.schema.features[name];
  return Object.fromEntries(
    features.map((name) => [
      name,
      sources.monitor[name] ?? sources.validate?.skew[name] ?? schemaOf(name)?.skew ?? sources.validate?.drift[name] ?? schemaOf(name)?.drift ?? AUTOMATIC,
    ]),
  );
}

/** A window's features against the training statistics: current = served rows, reference = training. */
export function featureDrift(
  window: DatasetStatistics,
  training: DatasetStatistics,
  schema: DataSchema,
  thresholds: Record<string, ComparatorThresholds>,
): ComparatorResult[] {
  return compareDatasets('drift', window, training, schema, thresholds, quantileView).results;
}

export const SCORE = 'score';
export const PREDICTED_CLASS = 'prediction';

/** The score (binary P(positive), the top class's probability, the regression value) and, for classifiers, the predicted class. */
export function predictionFeatures(task: EvaluationTask): FeaturePlan[] {
  const score: FeaturePlan = { name: SCORE, type: 'float', categoricalInt: false };
  return task === 'regression' ? [score] : [score, { name: PREDICTED_CLASS, type: 'string', categoricalInt: false }];
}

export function servedPredictions(records: readonly ServedRecord[]): Record<string, Value>[] {
  return records.map((r) => ({ [SCORE]: r.score, [PREDICTED_CLASS]: r.label ?? null }));
}

/** The window's predictions against the offline evaluation's, with one set of thresholds for both. */
export function predictionDrift(window: DatasetStatistics, reference: DatasetStatistics, thresholds: ComparatorThresholds): ComparatorResult[] {
  const perFeature = Object.fromEntries(reference.features.map((f) => [f.name, thresholds]));
  return compareDatasets('drift', window, reference, EMPTY_SCHEMA, perFeature, quantileView).results;
}

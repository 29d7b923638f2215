import type { ColumnType } from '../data/cells';
import { finishFeature, type FeaturePartial } from './accumulate/feature';
import type { DatasetStatistics } from './types';

/** Naming and assembly of datasets, shared by the examples and CSV paths. */

export interface FeaturePlan {
  name: string;
  type: ColumnType;
  categoricalInt: boolean;
}

/** TFMA's slice naming: `a_X_b:v1_X_v2`, prefixed by the split (`train|payment_type:Cash`). */
export function sliceName(split: string, features: readonly string[], values: readonly string[]): string {
  return `${split}|${features.join('_X_')}:${values.join('_X_')}`;
}

export function spanName(split: string, span: string): string {
  return `${split}/${span}`;
}

export function finishDataset(
  head: Pick<DatasetStatistics, 'name' | 'split' | 'span' | 'slice'>,
  rows: number,
  features: readonly FeaturePlan[],
  partials: readonly FeaturePartial[] | undefined,
): DatasetStatistics {
  return {
    ...head,
    numExamples: rows,
    features: features.map((f, i) => finishFeature(f.name, f.type, partials?.[i] ?? { type: f.type, present: 0, missing: rows }, f.categoricalInt)),
  };
}

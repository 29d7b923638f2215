import { widen, type ColumnType } from '../../data/cells';
import type { FeatureStatistics } from '../types';
import { emptyCategorical, finishCategorical, mergeCategorical, type CategoricalPartial } from './categorical';
import { emptyNumeric, finishNumeric, mergeNumeric, type NumericPartial } from './numeric';

/** One feature over one chunk. Plain data, so it crosses to and from worker threads by structured clone. */
export interface FeaturePartial {
  /** The chunk's own type; undefined while the CSV path has seen only missing cells. */
  type: ColumnType | undefined;
  present: number;
  missing: number;
  numeric?: NumericPartial;
  categorical?: CategoricalPartial;
}

/** Combines two chunks of the same feature; `a` may be reused for the result. */
export function mergeFeature(a: FeaturePartial, b: FeaturePartial): FeaturePartial {
  return {
    type: a.type === undefined ? b.type : b.type === undefined ? a.type : widen(a.type, b.type),
    present: a.present + b.present,
    missing: a.missing + b.missing,
    numeric: a.numeric && b.numeric ? mergeNumeric(a.numeric, b.numeric) : (a.numeric ?? b.numeric),
    categorical: a.categorical && b.categorical ? mergeCategorical(a.categorical, b.categorical) : (a.categorical ?? b.categorical),
  };
}

export function mergeFeatures(a: FeaturePartial[], b: readonly FeaturePartial[]): FeaturePartial[] {
  return a.map((f, i) => mergeFeature(f, b[i]));
}

/**
 * TFDV's split of statistics by type: numbers get numeric statistics, strings categorical, bools
 * both (0/1 and true/false), and ints marked categorical both.
 */
export function finishFeature(name: string, type: ColumnType, p: FeaturePartial, categoricalInt: boolean): FeatureStatistics {
  const numeric = type === 'int' || type === 'float' || type === 'bool';
  const categorical = type === 'string' || type === 'bool' || (type === 'int' && categoricalInt);
  return {
    name,
    type,
    numPresent: p.present,
    numMissing: p.missing,
    ...(numeric ? { numeric: finishNumeric(p.numeric ?? emptyNumeric()) } : {}),
    ...(categorical ? { categorical: finishCategorical(p.categorical ?? emptyCategorical()) } : {}),
  };
}

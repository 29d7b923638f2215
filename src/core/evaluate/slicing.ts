import type { Located, SliceSpec } from '../pipeline/config';
import { bucketColumn } from './buckets';
import { featureValues, groupRows, restrictTo, valueColumn, type KeyColumn } from './groups';
import type { FeatureValue } from './types';

export const OVERALL = 'Overall';

/** One TFMA slice: its name (`a_X_b:v1_X_v2`), the spec it came from (`a_X_b`) and its rows. */
export interface Slice {
  name: string;
  spec: string;
  features: Record<string, string>;
  rows: Int32Array;
}

/** TFMA's name of a feature cross or of a value tuple. */
export const crossName = (parts: readonly string[]): string => parts.join('_X_');

export function overallSlice(rowCount: number): Slice {
  return { name: OVERALL, spec: OVERALL, features: {}, rows: Int32Array.from({ length: rowCount }, (_, i) => i) };
}

/**
 * Every slice of the specs besides Overall (a spec with no feature is Overall itself), in spec
 * order, values sorted within a spec; only values the rows have form slices.
 */
export function slicesFor(specs: readonly Located<SliceSpec>[], features: ReadonlyMap<string, readonly FeatureValue[]>, rowCount: number): Slice[] {
  return specs.flatMap(({ value: spec, location }) => {
    if (spec.features.length === 0) return [];
    const columns = spec.features.map((feature): KeyColumn => {
      const values = featureValues(features, feature, rowCount, 'slice', location);
      const bucketed = spec.buckets?.[feature];
      const column = bucketed !== undefined ? bucketColumn(values, bucketed, feature, location) : valueColumn(values);
      const allowed = spec.values?.[feature];
      return allowed ? restrictTo(column, allowed) : column;
    });
    const specName = crossName(spec.features);
    return groupRows(columns, rowCount).map((group) => ({
      name: `${specName}:${crossName(group.values)}`,
      spec: specName,
      features: Object.fromEntries(spec.features.map((f, i) => [f, group.values[i]])),
      rows: group.rows,
    }));
  });
}

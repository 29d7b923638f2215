import type { FeatureSchema } from '../../schema/types';
import { COLUMN_DROPPED, type Finding } from './finding';

/**
 * A schema feature absent from the data. Only features the data must contain: a presence of
 * `min_count: 0` (and no `min_fraction`) says the column may be absent altogether.
 */
export function missingColumn(feature: FeatureSchema): Finding[] {
  const p = feature.presence;
  if (p && (p.min_count ?? 0) === 0 && !(p.min_fraction && p.min_fraction > 0)) return [];
  return [{ type: 'SCHEMA_MISSING_COLUMN', shortDescription: COLUMN_DROPPED, description: 'Column is completely missing' }];
}

export function newColumn(): Finding {
  return { type: 'SCHEMA_NEW_COLUMN', shortDescription: 'New column', description: 'New column (column in data but not in schema)' };
}

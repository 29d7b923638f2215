import type { FeatureSchema } from '../../schema/types';
import type { FeatureStatistics } from '../../stats/types';
import type { Finding } from './finding';

/** Distinct-count bounds (TFDV's unique_constraints); distinct values are counted for categorical data only. */
export function unique(feature: FeatureSchema, stats: FeatureStatistics): Finding[] {
  const u = feature.unique;
  if (!u || !stats.categorical) return [];
  const found = stats.categorical.unique;
  const details = { observedUnique: found, exact: stats.categorical.uniqueExact };
  const out: Finding[] = [];
  if (u.min !== undefined && found < u.min) {
    out.push({
      type: 'FEATURE_TYPE_LOW_UNIQUE',
      shortDescription: 'Low number of unique values',
      description: `Expected at least ${u.min} unique values but found only ${found}.`,
      details,
    });
  }
  if (u.max !== undefined && found > u.max) {
    out.push({
      type: 'FEATURE_TYPE_HIGH_UNIQUE',
      shortDescription: 'High number of unique values',
      description: `Expected no more than ${u.max} unique values but found ${found}.`,
      details,
    });
  }
  return out;
}

import type { FeatureSchema } from '../../schema/types';
import type { FeatureStatistics } from '../../stats/types';
import { COLUMN_DROPPED, type Finding } from './finding';

/** TFDV's presence checks (feature_util.cc UpdatePresence), with its exact wording. */
export function presence(feature: FeatureSchema, stats: FeatureStatistics, numExamples: number): Finding[] {
  const p = feature.presence;
  if (!p) return [];
  const out: Finding[] = [];
  const fraction = numExamples > 0 ? stats.numPresent / numExamples : undefined;
  if (p.min_count !== undefined && stats.numPresent < p.min_count) {
    out.push({
      type: 'FEATURE_TYPE_LOW_NUMBER_PRESENT',
      shortDescription: COLUMN_DROPPED,
      description: 'The feature was present in fewer examples than expected.',
      details: { observedCount: stats.numPresent, minCount: p.min_count },
    });
  }
  if (p.min_fraction !== undefined && fraction !== undefined) {
    if (fraction < p.min_fraction) {
      out.push({
        type: 'FEATURE_TYPE_LOW_FRACTION_PRESENT',
        shortDescription: COLUMN_DROPPED,
        description: 'The feature was present in fewer examples than expected.',
        details: { observedFraction: fraction, minFraction: p.min_fraction, numMissing: stats.numMissing },
      });
    } else if (p.min_fraction === 1 && stats.numMissing !== 0) {
      // A handful missing out of very many: the fraction rounds to 1.0. TFDV reports it separately.
      out.push({
        type: 'FEATURE_TYPE_LOW_FRACTION_PRESENT',
        shortDescription: COLUMN_DROPPED,
        description: `The feature was expected everywhere, but was missing in ${stats.numMissing} examples.`,
        details: { observedFraction: fraction, minFraction: p.min_fraction, numMissing: stats.numMissing },
      });
    }
  }
  return out;
}

import type { FeatureSchema } from '../../schema/types';
import type { FeatureStatistics } from '../../stats/types';
import { byCodePoint } from '../comparators/view';
import { shareText } from '../format';
import type { Finding } from './finding';

/**
 * Values outside the string domain (TFDV's UpdateStringDomain): fires when the off-domain share is
 * above `max_off_domain_fraction`, or with the default 0 when there is any off-domain value. The
 * description lists each value in code point order with its share of all values (`<1%`, `~N%`).
 */
export function stringDomain(feature: FeatureSchema, stats: FeatureStatistics): Finding[] {
  if (!feature.domain || !stats.categorical) return [];
  const allowed = new Set(feature.domain);
  const unexpected = stats.categorical.rankHistogram.filter((b) => !allowed.has(b.value) && b.count > 0);
  if (unexpected.length === 0) return [];
  const totalValues = stats.numPresent;
  const offDomain = unexpected.reduce((s, b) => s + b.count, 0);
  const maxOff = feature.max_off_domain_fraction ?? 0;
  if (!(offDomain / totalValues > maxOff || maxOff === 0)) return [];
  const sorted = [...unexpected].sort((a, b) => byCodePoint(a.value, b.value));
  return [
    {
      type: 'ENUM_TYPE_UNEXPECTED_STRING_VALUES',
      shortDescription: 'Unexpected string values',
      description: `Examples contain values missing from the schema: ${sorted.map((b) => `${b.value} (${shareText(b.count, totalValues)})`).join(', ')}.`,
      details: {
        unexpectedValues: sorted.map((b) => b.value),
        unexpectedCounts: sorted.map((b) => b.count),
        offDomainFraction: totalValues > 0 ? offDomain / totalValues : 0,
        // Beyond the rank histogram's capacity counts are lower bounds and rare values may be unseen.
        complete: stats.categorical.rankHistogramExact,
      },
    },
  ];
}

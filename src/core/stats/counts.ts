import type { CategoricalStatistics } from './types';

/**
 * Value → count from the rank histogram (up to 1000 values), for the categorical comparators
 * (L-infinity, chi-square, JSD). Counts are Misra-Gries lower bounds unless `rankHistogramExact`.
 */
export function categoricalCounts(c: CategoricalStatistics): Map<string, number> {
  return new Map(c.rankHistogram.map((e) => [e.value, e.count]));
}

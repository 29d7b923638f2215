/**
 * Quantiles over a sorted, weighted set of points: exact (distinct values with their counts) or a
 * KLL sketch's items (values with weights 2^level). One definition for both, so a small column and
 * a sketched one follow the same rule.
 */
export interface WeightedPoints {
  /** Ascending. */
  values: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/** The smallest value whose cumulative weight exceeds `rank` (0-based, may be fractional). */
export function valueAtRank(points: WeightedPoints, rank: number): number {
  let cumulative = 0;
  for (let i = 0; i < points.values.length; i++) {
    cumulative += points.weights[i];
    if (cumulative > rank) return points.values[i];
  }
  return points.values[points.values.length - 1];
}

/** The middle value, or the mean of the two middle values when the count is even. */
export function medianOf(points: WeightedPoints, count: number): number {
  if (count === 0) return NaN;
  return (valueAtRank(points, Math.ceil(count / 2) - 1) + valueAtRank(points, Math.floor(count / 2))) / 2;
}

/**
 * Boundaries for `buckets` equal-count buckets: the values at ranks i·n/buckets (i = 1 ..
 * buckets-1), deduplicated, without any boundary at the minimum (it would leave bucket 0 empty).
 * A column with few distinct values so gets fewer buckets than asked, as in TFT.
 */
export function quantileBoundaries(points: WeightedPoints, count: number, buckets: number): number[] {
  if (count === 0 || points.values.length === 0) return [];
  const min = points.values[0];
  const boundaries: number[] = [];
  for (let i = 1; i < buckets; i++) {
    const v = valueAtRank(points, (i * count) / buckets);
    if (v > min && v !== boundaries[boundaries.length - 1]) boundaries.push(v);
  }
  return boundaries;
}

/** Bucket i when boundaries[i-1] <= x < boundaries[i]: the number of boundaries at or below x. */
export function bucketOf(boundaries: readonly number[], x: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boundaries[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

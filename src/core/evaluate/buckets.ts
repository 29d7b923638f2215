import { bucketOf } from '../transform/quantiles';
import { UserError, type SourceLocation } from '../util/problems';
import { compactNumber } from './format';
import type { KeyColumn } from './groups';
import type { FeatureValue } from './types';

/**
 * A numeric feature cut into `buckets` quantile buckets of the given rows, named `[lower, upper)`
 * (the last one closed, `]`). Boundaries are values of the data, so tied values share a bucket and
 * heavy ties give fewer buckets; boundaries that print alike are merged so every name is unique.
 */
export function bucketColumn(values: readonly FeatureValue[], buckets: number, feature: string, location: SourceLocation): KeyColumn {
  const numbers = values.map((v) => asNumber(v, feature, location));
  const sorted = Float64Array.from(numbers.filter((x): x is number => x !== null)).sort();
  if (sorted.length === 0) return { keys: numbers.map(() => null), compare: () => 0 };
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const boundaries: number[] = [];
  for (let i = 1; i < buckets; i++) {
    const b = sorted[Math.floor((i * sorted.length) / buckets)];
    const previous = boundaries.length ? boundaries[boundaries.length - 1] : min;
    if (b > previous && compactNumber(b) !== compactNumber(previous)) boundaries.push(b);
  }
  const edges = [min, ...boundaries];
  const names = edges.map((lower, j) =>
    j < boundaries.length ? `[${compactNumber(lower)}, ${compactNumber(edges[j + 1])})` : `[${compactNumber(lower)}, ${compactNumber(max)}]`,
  );
  const order = new Map(names.map((name, j) => [name, j]));
  return {
    keys: numbers.map((x) => (x === null ? null : names[bucketOf(boundaries, x)])),
    compare: (a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0),
  };
}

function asNumber(value: FeatureValue, feature: string, location: SourceLocation): number | null {
  if (value === null || value === undefined) return null;
  const x = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  if (!Number.isFinite(x)) {
    throw UserError.at(
      `slice feature '${feature}' is bucketed but has the non-numeric value '${String(value)}'`,
      location,
      `remove \`buckets\` for '${feature}' to slice by its values`,
    );
  }
  return x;
}

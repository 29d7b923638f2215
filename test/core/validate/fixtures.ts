import type { ColumnType } from '../../../src/core/data/cells';
import type { CategoricalStatistics, DatasetStatistics, FeatureStatistics, NumericStatistics } from '../../../src/core/stats/types';
import type { QuantileView } from '../../../src/core/validate/comparators/view';

/**
 * Hand-built statistics for tests, independent of the stats module: numeric features keep their raw
 * values as the "sketch", read back through an exact empirical view (`viewOf`).
 */

/** The exact empirical distribution of `values`, with the stats module's conventions. */
export function sampleView(values: readonly number[]): QuantileView {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    count: n,
    quantile(q) {
      if (q <= 0) return sorted[0];
      if (q >= 1) return sorted[n - 1];
      return sorted[Math.max(0, Math.ceil(q * n) - 1)];
    },
    cdf(x) {
      let k = 0;
      while (k < n && sorted[k] <= x) k++;
      return k / n;
    },
    points() {
      const m = new Map<number, number>();
      for (const v of sorted) m.set(v, (m.get(v) ?? 0) + 1);
      return [...m.entries()].map(([value, weight]) => ({ value, weight }));
    },
  };
}

export const viewOf = (n: NumericStatistics): QuantileView => sampleView((n.sketch as { values: number[] }).values);

export function numericStats(values: readonly number[], extra: Partial<NumericStatistics> = {}): NumericStatistics {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  const mean = n ? finite.reduce((s, v) => s + v, 0) / n : 0;
  const sorted = [...finite].sort((a, b) => a - b);
  return {
    mean,
    stdDev: n ? Math.sqrt(finite.reduce((s, v) => s + (v - mean) ** 2, 0) / n) : 0,
    numZeros: finite.filter((v) => v === 0).length,
    min: sorted[0] ?? 0,
    median: sorted[Math.floor(n / 2)] ?? 0,
    max: sorted[n - 1] ?? 0,
    numNan: values.filter(Number.isNaN).length,
    numPosInf: values.filter((v) => v === Infinity).length,
    numNegInf: values.filter((v) => v === -Infinity).length,
    histogram: { buckets: [] },
    quantiles: { buckets: [] },
    rankError: 0,
    sketch: { values: finite },
    ...extra,
  };
}

export function categoricalStats(values: readonly string[], extra: Partial<CategoricalStatistics> = {}): CategoricalStatistics {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([value, count]) => ({ value, count }));
  return {
    unique: counts.size,
    uniqueExact: true,
    topValues: ranked.slice(0, 20),
    rankHistogram: ranked.slice(0, 1000),
    rankHistogramExact: ranked.length <= 1000,
    avgLength: values.length ? values.reduce((s, v) => s + Buffer.byteLength(v), 0) / values.length : 0,
    numInvalidUtf8: 0,
    ...extra,
  };
}

/** A numeric feature from cells (null = missing); int unless a value is fractional or NaN. */
export function numericFeature(name: string, cells: readonly (number | null)[], type?: ColumnType, categorical = false): FeatureStatistics {
  const values = cells.filter((c): c is number => c !== null);
  const inferred: ColumnType = type ?? (values.every(Number.isInteger) ? 'int' : 'float');
  return {
    name,
    type: inferred,
    numPresent: values.length,
    numMissing: cells.length - values.length,
    numeric: numericStats(values),
    ...(categorical ? { categorical: categoricalStats(values.map(String)) } : {}),
  };
}

export function stringFeature(name: string, cells: readonly (string | null)[], type: ColumnType = 'string'): FeatureStatistics {
  const values = cells.filter((c): c is string => c !== null);
  return { name, type, numPresent: values.length, numMissing: cells.length - values.length, categorical: categoricalStats(values) };
}

export function dataset(name: string, numExamples: number, features: FeatureStatistics[]): DatasetStatistics {
  return { name, split: name.split('/')[0], numExamples, features };
}

/** n cells cycling through `values` (deterministic "random" columns). */
export function cycle<T>(values: readonly T[], n: number): T[] {
  return Array.from({ length: n }, (_, i) => values[i % values.length]);
}

import { hash53, hashString } from '../hash';
import { kmvCount, kmvFromHashes, kmvMerge, type Kmv } from '../sketch/kmv';
import { mgFromCounts, mgMerge, mgTop, type MisraGries } from '../sketch/misraGries';
import type { CategoricalStatistics } from '../types';

/**
 * Categorical statistics of one chunk and their merge: Misra-Gries for frequencies, K-minimum-values
 * for the distinct count, byte totals for the average length. A chunk starts from exact counts of
 * its distinct values (a row group's dictionary or a CSV block's value table), so per-value work
 * happens once per distinct value per chunk, not once per row.
 */
export interface CategoricalPartial {
  /** Values counted (present cells). */
  count: number;
  /** Total UTF-8 bytes of those values. */
  bytes: number;
  invalidUtf8: number;
  mg: MisraGries;
  kmv: Kmv;
}

export const TOP_VALUES = 20;
export const RANK_HISTOGRAM = 1000;

/** From exact counts of `size` distinct values: `counts[i]` occurrences of value i with hash `hashes[i]`. */
export function categoricalOfCounts(
  counts: ArrayLike<number>,
  hashes: Float64Array,
  size: number,
  valueOf: (i: number) => string,
  bytes: number,
  invalidUtf8 = 0,
): CategoricalPartial {
  let count = 0;
  for (let i = 0; i < size; i++) count += counts[i];
  return { count, bytes, invalidUtf8, mg: mgFromCounts(counts, size, valueOf), kmv: kmvFromHashes(hashes, size) };
}

/** A bool feature's categorical side, from its 0/1 counts. */
export function categoricalOfBools(falses: number, trues: number): CategoricalPartial {
  const values = ['false', 'true'].filter((_, i) => (i === 0 ? falses : trues) > 0);
  const counts = values.map((v) => (v === 'true' ? trues : falses));
  const hashes = new Float64Array(values.map((v) => (hashString(v), hash53())));
  return categoricalOfCounts(counts, hashes, values.length, (i) => values[i], 5 * falses + 4 * trues);
}

export function emptyCategorical(): CategoricalPartial {
  return categoricalOfCounts([], new Float64Array(0), 0, () => '', 0);
}

export function mergeCategorical(a: CategoricalPartial, b: CategoricalPartial): CategoricalPartial {
  return {
    count: a.count + b.count,
    bytes: a.bytes + b.bytes,
    invalidUtf8: a.invalidUtf8 + b.invalidUtf8,
    mg: mgMerge(a.mg, b.mg),
    kmv: kmvMerge(a.kmv, b.kmv),
  };
}

export function finishCategorical(p: CategoricalPartial): CategoricalStatistics {
  const distinct = kmvCount(p.kmv);
  // Misra-Gries exactness also proves the distinct count: every value seen still has its counter.
  const exactFromMg = p.mg.exact;
  const rankHistogram = mgTop(p.mg, RANK_HISTOGRAM);
  return {
    unique: exactFromMg ? p.mg.values.length : distinct.count,
    uniqueExact: exactFromMg || distinct.exact,
    topValues: rankHistogram.slice(0, TOP_VALUES),
    rankHistogram,
    rankHistogramExact: p.mg.exact,
    avgLength: p.count > 0 ? p.bytes / p.count : 0,
    numInvalidUtf8: p.invalidUtf8,
  };
}

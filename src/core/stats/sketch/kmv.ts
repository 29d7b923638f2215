import { HASH_RANGE } from '../hash';

/**
 * K-minimum-values distinct count (Bar-Yossef et al.), k = 16384 as TFDV. Keeps the k smallest
 * distinct 53-bit hashes: while fewer than k distinct values were seen it holds all of them and the
 * count is exact; beyond, (k-1) / (k-th smallest as a fraction of the hash range) is an unbiased
 * estimate with relative standard error about 1/sqrt(k-2) ≈ 0.8%. Merging is a union truncated to
 * k, so memory stays at 128 KiB per feature however many values stream through.
 */

export const KMV_K = 16384;

export interface Kmv {
  k: number;
  /** Sorted ascending, distinct, at most k. */
  hashes: Float64Array;
  /** Some hash was dropped for being above the k-th: the count is an estimate. */
  saturated: boolean;
}

/** From the hashes of one chunk's distinct values (any order, duplicates allowed). */
export function kmvFromHashes(hashes: Float64Array, size = hashes.length, k = KMV_K): Kmv {
  const sorted = hashes.slice(0, size).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i];
  return { k, hashes: sorted.slice(0, Math.min(n, k)), saturated: n > k };
}

export function kmvMerge(a: Kmv, b: Kmv): Kmv {
  const x = a.hashes;
  const y = b.hashes;
  const out = new Float64Array(Math.min(a.k, x.length + y.length));
  let i = 0;
  let j = 0;
  let n = 0;
  let dropped = false;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
    if (i < x.length && x[i] === v) i++;
    if (j < y.length && y[j] === v) j++;
    if (n === out.length) {
      dropped = true;
      break;
    }
    out[n++] = v;
  }
  return { k: a.k, hashes: out.slice(0, n), saturated: a.saturated || b.saturated || dropped };
}

export function kmvCount(s: Kmv): { count: number; exact: boolean } {
  if (!s.saturated) return { count: s.hashes.length, exact: true };
  const kth = s.hashes[s.k - 1] / HASH_RANGE;
  return { count: Math.round((s.k - 1) / kth), exact: false };
}

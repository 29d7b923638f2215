import { type CategoryCounts, total, unionKeys } from './view';

/**
 * TFDV's L-infinity distance: normalize both value-count maps to probabilities and take the largest
 * absolute difference over the union of values. `at` is the value where it is reached; on ties the
 * first value in code point order, so the report is stable. An empty side counts as all zeros.
 */
export function lInfinity(current: CategoryCounts, reference: CategoryCounts): { value: number; at?: string } {
  const nc = total(current);
  const nr = total(reference);
  let value = 0;
  let at: string | undefined;
  for (const key of unionKeys(current, reference)) {
    const p = nc > 0 ? (current.get(key) ?? 0) / nc : 0;
    const q = nr > 0 ? (reference.get(key) ?? 0) / nr : 0;
    const d = Math.abs(p - q);
    if (d > value) {
      value = d;
      at = key;
    }
  }
  return { value, at };
}

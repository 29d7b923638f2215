import { normalizedPoints, type QuantileView, viewStdDev } from './view';

/**
 * Wasserstein-1 (earth mover's) distance ∫ |F(x) − G(x)| dx between the two views' distributions,
 * integrated exactly over the step CDFs of their weighted points.
 */
export function wasserstein1(current: QuantileView, reference: QuantileView): number {
  const a = normalizedPoints(current);
  const b = normalizedPoints(reference);
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let x = Math.min(a[0].value, b[0].value);
  let sum = 0;
  while (i < a.length || j < b.length) {
    const next = Math.min(i < a.length ? a[i].value : Infinity, j < b.length ? b[j].value : Infinity);
    sum += Math.abs(fa - fb) * (next - x);
    x = next;
    while (i < a.length && a[i].value === next) fa += a[i++].weight;
    while (j < b.length && b[j].value === next) fb += b[j++].weight;
  }
  return sum;
}

/**
 * Evidently's normalization: divide by the reference standard deviation, floored at 0.001 so a
 * constant reference column gives a large finite value rather than a division by zero.
 */
export const MIN_REFERENCE_STD = 0.001;

export function normalizedWasserstein(current: QuantileView, reference: QuantileView): number {
  return wasserstein1(current, reference) / Math.max(viewStdDev(reference), MIN_REFERENCE_STD);
}

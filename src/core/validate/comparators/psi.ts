import { binShares, type CategoryCounts, type QuantileView, total, unionKeys } from './view';

/**
 * Population stability index: Σ (ref% − cur%) · ln(ref% / cur%). An empty bin would make the log
 * infinite, so a share of 0 is replaced by 0.0001 (what Evidently does) before the sum: an empty
 * bin on one side then contributes about share · ln(share / 0.0001) instead of infinity.
 */
export const PSI_EMPTY_SHARE = 0.0001;

/** Number of reference-quantile bins for numeric features (deciles, the usual choice). */
export const PSI_BINS = 10;

export function populationStability(current: readonly number[], reference: readonly number[]): number {
  const sc = current.reduce((s, x) => s + x, 0);
  const sr = reference.reduce((s, x) => s + x, 0);
  if (!(sc > 0) || !(sr > 0)) return 0;
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] / sr || PSI_EMPTY_SHARE;
    const c = (current[i] ?? 0) / sc || PSI_EMPTY_SHARE;
    sum += (r - c) * Math.log(r / c);
  }
  return sum;
}

/** PSI over the union of categories. */
export function psiCategorical(current: CategoryCounts, reference: CategoryCounts): number {
  if (total(current) === 0 || total(reference) === 0) return 0;
  const keys = unionKeys(current, reference);
  return populationStability(
    keys.map((k) => current.get(k) ?? 0),
    keys.map((k) => reference.get(k) ?? 0),
  );
}

/**
 * Numeric PSI on `bins` bins cut at the reference's quantiles: (−∞, e1], (e1, e2], …, (e_last, ∞).
 * Repeated cut points (a discrete column) are merged, so there may be fewer bins.
 */
export function psiNumeric(current: QuantileView, reference: QuantileView, bins = PSI_BINS): number {
  if (!(current.count > 0) || !(reference.count > 0)) return 0;
  const edges = psiEdges(reference, bins);
  return populationStability(binShares(current, edges), binShares(reference, edges));
}

export function psiEdges(reference: QuantileView, bins = PSI_BINS): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const e = reference.quantile(k / bins);
    if (Number.isFinite(e) && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  return edges;
}

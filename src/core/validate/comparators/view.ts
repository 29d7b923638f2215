/**
 * What the comparators read: the stats module's quantile view of a numeric sketch and value-count
 * maps of categorical features. Comparators take these views, never the raw statistics, so each is
 * a pure function testable on hand-made inputs and independent of the sketch's encoding.
 */
export interface QuantileView {
  /** Number of (finite) values summarized. */
  count: number;
  /** The q-quantile, q in [0, 1]. */
  quantile(q: number): number;
  /** Share of values ≤ x. */
  cdf(x: number): number;
  /** Weighted support points of the summarized distribution, by increasing value. */
  points(): { value: number; weight: number }[];
}

export type CategoryCounts = ReadonlyMap<string, number>;

export function total(counts: CategoryCounts): number {
  let sum = 0;
  for (const c of counts.values()) sum += c;
  return sum;
}

/** Union of both maps' keys in a fixed (code point) order, so results never depend on map order. */
export function unionKeys(a: CategoryCounts, b: CategoryCounts): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort(byCodePoint);
}

export function byCodePoint(a: string, b: string): number {
  // UTF-8 byte order (as TFDV's std::map<string>), which equals code point order.
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Points with normalized weights, merged by value and sorted. */
export function normalizedPoints(view: QuantileView): { value: number; weight: number }[] {
  const byValue = new Map<number, number>();
  for (const p of view.points()) {
    if (!Number.isFinite(p.value) || !(p.weight > 0)) continue;
    byValue.set(p.value, (byValue.get(p.value) ?? 0) + p.weight);
  }
  const sum = [...byValue.values()].reduce((s, w) => s + w, 0);
  return [...byValue.entries()].sort((x, y) => x[0] - y[0]).map(([value, weight]) => ({ value, weight: weight / sum }));
}

/** Population standard deviation of the view's points (REFERENCE.md: divide by n). */
export function viewStdDev(view: QuantileView): number {
  const pts = normalizedPoints(view);
  const mean = pts.reduce((s, p) => s + p.value * p.weight, 0);
  const variance = pts.reduce((s, p) => s + p.weight * (p.value - mean) ** 2, 0);
  return Math.sqrt(variance);
}

/** The share of a distribution in each bin that the sorted `cuts` make: before the first, between each pair, after the last. */
export function binShares(view: QuantileView, cuts: readonly number[]): number[] {
  const out: number[] = [];
  let previous = 0;
  for (const cut of cuts) {
    const f = Math.max(previous, Math.min(1, view.cdf(cut)));
    out.push(f - previous);
    previous = f;
  }
  out.push(1 - previous);
  return out;
}

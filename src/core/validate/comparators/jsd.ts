import { binShares, type CategoryCounts, normalizedPoints, type QuantileView, total, unionKeys } from './view';

/**
 * Jensen-Shannon divergence with log base 2 (TFDV), so it lies in [0, 1]:
 * JSD(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = ½ (P + Q). Inputs are aligned masses; each side is
 * normalized here, so counts work as well as probabilities.
 */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  if (!(sp > 0) || !(sq > 0)) return 0;
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = (q[i] ?? 0) / sq;
    const m = (a + b) / 2;
    if (a > 0) d += 0.5 * a * Math.log2(a / m);
    if (b > 0) d += 0.5 * b * Math.log2(b / m);
  }
  return Math.min(1, Math.max(0, d));
}

/** Categorical JSD on the value maps, over the union of values. */
export function jensenShannonCategorical(current: CategoryCounts, reference: CategoryCounts): number {
  if (total(current) === 0 || total(reference) === 0) return 0;
  const keys = unionKeys(current, reference);
  return jensenShannon(
    keys.map((k) => current.get(k) ?? 0),
    keys.map((k) => reference.get(k) ?? 0),
  );
}

export interface MassBucket {
  low: number;
  high: number;
  /** Share of all values in the bucket; a bucket with low == high is a point mass. */
  mass: number;
}

/**
 * Buckets per side (the union has up to twice as many). Finer is not better: the quantile sketch's
 * ranks are off by up to ~1% (KLL, k = 400), so buckets under ~5% of the data mostly measure sketch
 * error, and the plug-in divergence of two samples of one distribution grows with the bucket count
 * over the sample size (≈ (k − 1)(1/n + 1/m) / (8 ln 2)). On the taxi data (train 10k vs eval 5k,
 * one distribution) fare scores 0.003 with 10, 0.006 with 20 and 0.016 with 70 buckets. So √ of the
 * smaller sample, between 10 (TFDV's histograms) and 20.
 */
export const FINE_BUCKETS = 20;
export const MIN_BUCKETS = 10;

export function bucketsFor(n: number, m: number): number {
  return Math.max(MIN_BUCKETS, Math.min(FINE_BUCKETS, Math.floor(Math.sqrt(Math.min(n, m)))));
}

/**
 * A histogram of the view with about `buckets` equal-count buckets over its support points. A value
 * that alone holds at least one bucket's share (1/buckets) is kept as a point mass: discrete data
 * (community-area latitudes, round fares, a column that is 30% zeros) would otherwise be smeared
 * over a bucket differently on each side, and the uniform-mass assumption would report divergence
 * between two samples of the same distribution.
 */
export function histogramFromView(view: QuantileView, buckets: number): MassBucket[] {
  const points = normalizedPoints(view);
  if (points.length === 0) return [];
  const out: MassBucket[] = [];
  const rest: { value: number; weight: number }[] = [];
  for (const p of points) {
    if (p.weight >= 1 / buckets) out.push({ low: p.value, high: p.value, mass: p.weight });
    else rest.push(p);
  }
  const restMass = rest.reduce((s, p) => s + p.weight, 0);
  const target = restMass / buckets;
  let low = rest[0]?.value;
  let acc = 0;
  rest.forEach((p, i) => {
    acc += p.weight;
    if (acc >= target * (1 - 1e-9) || i === rest.length - 1) {
      // (low, high]: the bucket's mass lies after the previous boundary; the first one includes its low end.
      out.push({ low, high: p.value, mass: acc });
      low = p.value;
      acc = 0;
    }
  });
  return out;
}

/**
 * Re-buckets onto the intervals between consecutive `boundaries` ([u_j, u_j+1), the last one closed),
 * assuming uniform mass inside each source bucket; a point mass goes to the interval holding it.
 */
export function rebucket(histogram: readonly MassBucket[], boundaries: readonly number[]): number[] {
  const intervals = Math.max(1, boundaries.length - 1);
  const out = new Array<number>(intervals).fill(0);
  for (const b of histogram) {
    if (b.mass <= 0) continue;
    if (b.high <= b.low) {
      out[intervalOf(boundaries, b.low)] += b.mass;
      continue;
    }
    for (let j = 0; j < boundaries.length - 1; j++) {
      const overlap = Math.min(b.high, boundaries[j + 1]) - Math.max(b.low, boundaries[j]);
      if (overlap > 0) out[j] += (b.mass * overlap) / (b.high - b.low);
    }
  }
  return out;
}

function intervalOf(boundaries: readonly number[], x: number): number {
  let lo = 0;
  let hi = boundaries.length - 2;
  if (hi <= 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (boundaries[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * TFDV's algorithm on two histograms: both re-bucketed onto the union of their boundaries with
 * uniform mass inside each bucket, then the divergence of the aligned masses. For inputs that
 * only have histograms (the statistics' 10-bucket ones).
 */
export function jensenShannonHistograms(a: readonly MassBucket[], b: readonly MassBucket[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const boundaries = [...new Set([...a, ...b].flatMap((x) => [x.low, x.high]))].sort((x, y) => x - y);
  return jensenShannon(rebucket(a, boundaries), rebucket(b, boundaries));
}

/** Each side's equal-count boundaries: its quantiles at k/buckets. */
export function quantileBoundaries(view: QuantileView, buckets: number): number[] {
  const out: number[] = [];
  for (let k = 0; k <= buckets; k++) {
    const q = view.quantile(k / buckets);
    if (Number.isFinite(q)) out.push(q);
  }
  return out;
}

/**
 * Numeric JSD: the union of both sides' equal-count (quantile) boundaries, as TFDV takes the union
 * of both histograms' boundaries; but each side's mass on a union interval (u_j, u_j+1] comes from
 * its own quantile view, F(u_j+1) − F(u_j), rather than from spreading a coarse bucket uniformly.
 * The view is the finest histogram there is (uniform mass remains only between sketch points), and
 * the difference matters: on the taxi data, train against eval (one distribution) scores ~0.04
 * with per-side buckets smeared uniformly, against ~0.005 this way, close to what shared bins on
 * the raw values give. Bucket count: `bucketsFor`.
 */
export function jensenShannonNumeric(current: QuantileView, reference: QuantileView, buckets = bucketsFor(current.count, reference.count)): number {
  if (!(current.count > 0) || !(reference.count > 0)) return 0;
  const boundaries = [...new Set([...quantileBoundaries(current, buckets), ...quantileBoundaries(reference, buckets)])].sort((x, y) => x - y);
  return jensenShannon(binShares(current, boundaries), binShares(reference, boundaries));
}

import { kllFromJSON, kllPoints, type KllSketch } from './sketch/kll';
import type { NumericStatistics } from './types';

/**
 * Read access to a numeric feature's distribution through its quantile sketch: what the
 * comparators (KS, Wasserstein, JSD re-bucketing) and the histograms use. Exact min and max (kept
 * beside the sketch) pin the ends, so quantile(0) and quantile(1) are the true extremes.
 */
export interface QuantileView {
  /** Finite values summarised. */
  count: number;
  /** The value at rank q·count (q in [0, 1]). */
  quantile(q: number): number;
  /** Fraction of values ≤ x. */
  cdf(x: number): number;
  /** The sketch's items by increasing value; weights sum to `count`. */
  points(): { value: number; weight: number }[];
}

interface SketchQuantiles extends QuantileView {
  /** Number of values < x (not a fraction). */
  countBelow(x: number): number;
}

export function sketchQuantiles(sketch: KllSketch, min: number, max: number): SketchQuantiles {
  const { values, weights } = kllPoints(sketch);
  const n = sketch.n;
  const cumulative = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) cumulative[i] = total += weights[i];
  /** Index of the first item with value > x (upper) or ≥ x (lower). */
  const search = (x: number, strict: boolean): number => {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? values[mid] <= x : values[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    count: n,
    quantile(q) {
      if (n === 0) return NaN;
      if (q <= 0) return min;
      if (q >= 1) return max;
      const rank = q * n;
      let lo = 0;
      let hi = values.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < rank) lo = mid + 1;
        else hi = mid;
      }
      return Math.min(max, Math.max(min, values[lo]));
    },
    cdf(x) {
      if (n === 0) return NaN;
      if (x < min) return 0;
      if (x >= max) return 1;
      const i = search(x, true);
      return i === 0 ? 0 : cumulative[i - 1] / n;
    },
    countBelow(x) {
      if (x <= min) return 0;
      if (x > max) return n;
      const i = search(x, false);
      return i === 0 ? 0 : cumulative[i - 1];
    },
    points() {
      return Array.from(values, (value, i) => ({ value, weight: weights[i] }));
    },
  };
}

/** The distribution view of finished statistics (the sketch is stored in `numeric.sketch`). */
export function quantileView(numeric: NumericStatistics): QuantileView {
  const view = sketchQuantiles(kllFromJSON(numeric.sketch), numeric.min, numeric.max);
  return { count: view.count, quantile: view.quantile, cdf: view.cdf, points: view.points };
}

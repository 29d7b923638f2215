import type { Histogram, NumericStatistics } from '../types';
import { kllAdd, kllCreate, kllMerge, kllToJSON, KLL_RANK_ERROR, type KllSketch } from '../sketch/kll';
import { sketchQuantiles } from '../quantiles';

/**
 * Numeric statistics of one chunk (a row group, a CSV block, a slice of either), and the merge
 * that combines chunks. Moments use the corrected two-pass sum within a chunk (exact to rounding,
 * no division per value) and Chan et al.'s pairwise update across chunks, which stays stable where
 * a running sum of squares would cancel catastrophically (large means, small spreads: timestamps).
 */
export interface NumericPartial {
  /** Finite values. */
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
  /** Over finite values; +inf / -inf while there are none. */
  min: number;
  max: number;
  zeros: number;
  nan: number;
  posInf: number;
  negInf: number;
  sketch: KllSketch;
}

let scratch = new Float64Array(65536);

/**
 * `values[i]` for the rows `rows` (all of 0..n-1 when null) where `valid[i]` (all when null).
 * Numbers are read from any typed array, so bool bytes (0/1) need no copy.
 */
export function numericOfValues(values: Float64Array | Uint8Array, valid: Uint8Array | null, rows: Int32Array | null, n: number): NumericPartial {
  if (scratch.length < n) scratch = new Float64Array(n);
  const finite = scratch;
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let zeros = 0;
  let nan = 0;
  let posInf = 0;
  let negInf = 0;
  for (let j = 0; j < n; j++) {
    const i = rows === null ? j : rows[j];
    if (valid !== null && valid[i] === 0) continue;
    const x = values[i];
    if (x - x === 0) {
      finite[count++] = x;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x === 0) zeros++;
    } else if (x !== x) nan++;
    else if (x > 0) posInf++;
    else negInf++;
  }
  let mean = count > 0 ? sum / count : 0;
  let m2 = 0;
  let drift = 0;
  for (let j = 0; j < count; j++) {
    const d = finite[j] - mean;
    m2 += d * d;
    drift += d;
  }
  if (count > 0) {
    // The corrected two-pass algorithm (Chan, Golub, LeVeque 1983): the residual sum repairs
    // the rounding of the first-pass mean.
    mean += drift / count;
    m2 = Math.max(0, m2 - (drift * drift) / count);
  }
  const sketch = kllCreate();
  kllAdd(sketch, finite, count);
  return { count, mean, m2, min, max, zeros, nan, posInf, negInf, sketch };
}

export function emptyNumeric(): NumericPartial {
  return { count: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, zeros: 0, nan: 0, posInf: 0, negInf: 0, sketch: kllCreate() };
}

/** Combines two chunks into `a` (returned); `b` is unchanged. */
export function mergeNumeric(a: NumericPartial, b: NumericPartial): NumericPartial {
  const n = a.count + b.count;
  if (b.count > 0) {
    const delta = b.mean - a.mean;
    a.mean = a.count === 0 ? b.mean : a.mean + (delta * b.count) / n;
    a.m2 = a.m2 + b.m2 + (delta * delta * a.count * b.count) / n;
  }
  a.count = n;
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
  a.zeros += b.zeros;
  a.nan += b.nan;
  a.posInf += b.posInf;
  a.negInf += b.negInf;
  kllMerge(a.sketch, b.sketch);
  return a;
}

const BUCKETS = 10;

export function finishNumeric(p: NumericPartial): NumericStatistics {
  const has = p.count > 0;
  const min = has ? p.min : 0;
  const max = has ? p.max : 0;
  const q = sketchQuantiles(p.sketch, min, max);
  return {
    mean: p.mean,
    stdDev: has ? Math.sqrt(p.m2 / p.count) : 0,
    numZeros: p.zeros,
    min,
    max,
    median: has ? q.quantile(0.5) : 0,
    numNan: p.nan,
    numPosInf: p.posInf,
    numNegInf: p.negInf,
    histogram: has ? equalWidth(p.count, min, max, q.countBelow) : { buckets: [] },
    quantiles: has ? equalCount(p.count, q.quantile) : { buckets: [] },
    rankError: KLL_RANK_ERROR,
    sketch: kllToJSON(p.sketch),
  };
}

/**
 * 10 equal-width buckets over [min, max], the last one closed. Min and max are only known at the
 * end of the pass, so counts come from the sketch's CDF: each boundary's cumulative count is within
 * rankError·n of the truth, so a bucket's count is within 2·rankError·n (the ends are exact). The
 * cumulative counts are rounded before differencing so the buckets sum to the number of finite values.
 */
function equalWidth(n: number, min: number, max: number, countBelow: (x: number) => number): Histogram {
  if (min === max) return { buckets: [{ low: min, high: max, count: n }] };
  const width = (max - min) / BUCKETS;
  const buckets: Histogram['buckets'] = [];
  let below = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const low = min + i * width;
    const high = i === BUCKETS - 1 ? max : min + (i + 1) * width;
    const next = i === BUCKETS - 1 ? n : Math.min(n, Math.max(below, Math.round(countBelow(high))));
    buckets.push({ low, high, count: next - below });
    below = next;
  }
  return { buckets };
}

/** 10 buckets of n/10 values each (TFDV's QUANTILES histogram), boundaries from the sketch. */
function equalCount(n: number, quantile: (q: number) => number): Histogram {
  const buckets: Histogram['buckets'] = [];
  for (let i = 0; i < BUCKETS; i++) buckets.push({ low: quantile(i / BUCKETS), high: quantile((i + 1) / BUCKETS), count: n / BUCKETS });
  return { buckets };
}

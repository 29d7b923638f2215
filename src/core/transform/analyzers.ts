import { kllAdd, kllCreate, kllPoints, type KllSketch } from '../stats/sketch/kll';
import { medianOf, quantileBoundaries, type WeightedPoints } from './quantiles';

/**
 * Distinct values kept exactly before a quantile summary falls back to its KLL sketch (rank error
 * well under 1%): small and low-cardinality columns get exact medians and bucket boundaries.
 */
export const EXACT_DISTINCT_LIMIT = 4096;

/**
 * A streaming summary of a numeric column's finite values, fed one row group at a time: moments
 * merged with Chan's formula (each chunk's own mean and squared deviations computed exactly, so
 * large offsets lose no precision), min/max, and on request the distribution for quantiles.
 */
export class NumericSummary {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Infinity;
  max = -Infinity;
  private exact: Map<number, number> | undefined;
  private readonly sketch: KllSketch | undefined;

  constructor(withQuantiles: boolean) {
    if (withQuantiles) {
      this.exact = new Map();
      this.sketch = kllCreate();
    }
  }

  /** Adds the first `n` entries of `values`, all finite. */
  add(values: Float64Array, n: number): void {
    if (n === 0) return;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      sum += v;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
    }
    const chunkMean = sum / n;
    let chunkM2 = 0;
    for (let i = 0; i < n; i++) chunkM2 += (values[i] - chunkMean) ** 2;
    const total = this.count + n;
    const delta = chunkMean - this.mean;
    this.mean += (delta * n) / total;
    this.m2 += chunkM2 + (delta * delta * this.count * n) / total;
    this.count = total;
    if (this.sketch) {
      kllAdd(this.sketch, values, n);
      this.countExactly(values, n);
    }
  }

  /** Population variance (divide by n), TFT's convention for z-scores. */
  get variance(): number {
    return this.count ? this.m2 / this.count : 0;
  }

  get std(): number {
    return Math.sqrt(this.variance);
  }

  median(): number {
    return medianOf(this.points(), this.count);
  }

  boundaries(buckets: number): number[] {
    return quantileBoundaries(this.points(), this.count, buckets);
  }

  private points(): WeightedPoints {
    if (!this.sketch) throw new Error('NumericSummary: quantiles were not requested');
    if (!this.exact) return kllPoints(this.sketch);
    const values = Float64Array.from(this.exact.keys()).sort();
    return { values, weights: Float64Array.from(values, (v) => this.exact!.get(v)!) };
  }

  private countExactly(values: Float64Array, n: number): void {
    const exact = this.exact;
    if (!exact) return;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      exact.set(v, (exact.get(v) ?? 0) + 1);
    }
    if (exact.size > EXACT_DISTINCT_LIMIT) this.exact = undefined;
  }
}

/** Exact token counts for a vocabulary (TFT's vocabulary analyzer is exact too). */
export class TokenCounts {
  readonly counts = new Map<string, number>();

  add(token: string, n = 1): void {
    this.counts.set(token, (this.counts.get(token) ?? 0) + n);
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { finishNumeric, mergeNumeric, numericOfValues } from '../../../src/core/stats/accumulate/numeric';
import { quantileView } from '../../../src/core/stats';
import { random } from './helpers';

/** The textbook two-pass mean and population standard deviation. */
function naive(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const m2 = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: Math.sqrt(m2 / values.length) };
}

function chunked(values: Float64Array, size: number) {
  let acc = numericOfValues(values.subarray(0, size), null, null, Math.min(size, values.length));
  for (let at = size; at < values.length; at += size) {
    const part = values.subarray(at, at + size);
    acc = mergeNumeric(acc, numericOfValues(part, null, null, part.length));
  }
  return finishNumeric(acc);
}

describe('numeric statistics', () => {
  it('match a naive two-pass computation to float error, however the data is chunked', () => {
    const next = random(11);
    // Timestamps: a large mean and a small spread, where a running sum of squares cancels badly.
    const values = Float64Array.from({ length: 100_003 }, () => 1.4e9 + Math.floor(next() * 86_400));
    const expected = naive([...values]);
    for (const size of [values.length, 65_536, 1000, 7]) {
      const stats = chunked(values, size);
      assert.ok(Math.abs(stats.mean - expected.mean) / expected.mean < 1e-14, `mean with chunks of ${size}`);
      assert.ok(Math.abs(stats.stdDev - expected.std) / expected.std < 1e-9, `std ${stats.stdDev} vs ${expected.std} with chunks of ${size}`);
    }
  });

  it('counts NaN and ±inf apart and keeps them out of the moments and histograms', () => {
    const values = Float64Array.from([1, 2, 3, NaN, Infinity, -Infinity, Infinity, 0, 0, NaN]);
    const valid = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    const stats = finishNumeric(numericOfValues(values, valid, null, values.length));
    assert.deepEqual([stats.mean, stats.min, stats.max, stats.numZeros, stats.numNan, stats.numPosInf, stats.numNegInf], [6 / 5, 0, 3, 2, 1, 2, 1]);
    assert.equal(
      stats.histogram.buckets.reduce((n, b) => n + b.count, 0),
      5,
    );
    assert.ok(stats.histogram.buckets.every((b) => Number.isFinite(b.low) && Number.isFinite(b.high)));
    assert.equal(JSON.stringify(stats).includes('null'), false);
  });

  it('gives equal-width and equal-count histograms that sum to the finite count', () => {
    const values = Float64Array.from({ length: 50_000 }, (_, i) => i % 100);
    const stats = chunked(values, 8192);
    assert.equal(stats.histogram.buckets.length, 10);
    assert.equal(
      stats.histogram.buckets.reduce((n, b) => n + b.count, 0),
      50_000,
    );
    // 0..99 uniformly: each of the 10 buckets [0,9.9), [9.9,19.8) ... holds about 5000.
    for (const b of stats.histogram.buckets) assert.ok(Math.abs(b.count - 5000) <= 0.02 * 50_000 + 500, `${b.low}: ${b.count}`);
    assert.deepEqual(
      stats.quantiles.buckets.map((b) => b.count),
      Array(10).fill(5000),
    );
    assert.equal(stats.quantiles.buckets[0].low, 0);
    assert.equal(stats.quantiles.buckets[9].high, 99);
    assert.ok(Math.abs(stats.median - 49.5) <= 1.5);
  });

  it('one value repeated gives one bucket, and no values give zeros, not NaN', () => {
    const same = finishNumeric(numericOfValues(new Float64Array(10).fill(7), null, null, 10));
    assert.deepEqual(same.histogram.buckets, [{ low: 7, high: 7, count: 10 }]);
    assert.equal(same.stdDev, 0);
    const none = finishNumeric(numericOfValues(new Float64Array(0), null, null, 0));
    assert.deepEqual([none.mean, none.stdDev, none.min, none.max, none.median], [0, 0, 0, 0, 0]);
  });

  it('exposes the stored sketch through quantileView', () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const stats = JSON.parse(JSON.stringify(chunked(values, 65_536)));
    const view = quantileView(stats);
    assert.equal(view.count, 100_000);
    assert.equal(view.quantile(0), 0);
    assert.equal(view.quantile(1), 99_999);
    assert.ok(Math.abs(view.quantile(0.25) - 25_000) < 1000);
    assert.ok(Math.abs(view.cdf(75_000) - 0.75) < 0.01);
    assert.equal(view.cdf(-1), 0);
    assert.equal(view.cdf(1e9), 1);
    const points = view.points();
    assert.equal(
      points.reduce((n, p) => n + p.weight, 0),
      100_000,
    );
    assert.ok(points.every((p, i) => i === 0 || p.value >= points[i - 1].value));
  });
});

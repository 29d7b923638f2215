import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finishNumeric, numericOfValues } from '../../src/core/stats/accumulate/numeric';
import { binCounts, equalEdges, jensenShannon, rebin } from '../../src/extension/statistics/collect';

/** Finished numeric statistics of these values, as the statistics component writes them. */
function numeric(values: number[]) {
  return finishNumeric(numericOfValues(Float64Array.from(values), null, null, values.length));
}

/** A long-tailed fare-like sample: most values small, a few large (deterministic). */
function fares(n: number, seed: number, cap: number): number[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, () => Math.min(cap, 3 + -Math.log(1 - random()) * 12));
}

test('two samples of one distribution overlaid on shared edges look alike, whatever their own buckets', () => {
  // Same distribution; eval's maximum is lower, so its ten stored buckets have other edges.
  const train = numeric(fares(20_000, 7, 400));
  const evaluation = numeric(fares(5_000, 11, 120));
  const edges = equalEdges(Math.min(train.min, evaluation.min), Math.max(train.max, evaluation.max), 30);
  const a = binCounts(train, edges);
  const b = binCounts(evaluation, edges);
  assert.ok(Math.abs(a.reduce((s, x) => s + x, 0) - 20_000) < 1e-6 && Math.abs(b.reduce((s, x) => s + x, 0) - 5_000) < 1e-6, 'every value counted once');
  const share = (c: number[], i: number) => c[i] / c.reduce((s, x) => s + x, 0);
  for (const i of [0, 1]) assert.ok(Math.abs(share(a, i) - share(b, i)) < 0.03, `bin ${i}: ${share(a, i)} against ${share(b, i)}`);
  const fromSketches = jensenShannon(a, b)!;
  const fromBuckets = jensenShannon(rebin(train.histogram, edges), rebin(evaluation.histogram, edges))!;
  assert.ok(fromSketches < 0.01, `JSD ${fromSketches} for one distribution`);
  assert.ok(fromBuckets > 3 * fromSketches, `spreading the stored buckets invents skew: ${fromBuckets} against ${fromSketches}`);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash53, hashBytes, hashString } from '../../../src/core/stats/hash';
import { kllAdd, kllCreate, kllFromJSON, kllMerge, kllToJSON, type KllSketch } from '../../../src/core/stats/sketch/kll';
import { kmvCount, kmvFromHashes, kmvMerge } from '../../../src/core/stats/sketch/kmv';
import { mgFromCounts, mgMerge, mgTop } from '../../../src/core/stats/sketch/misraGries';
import { sketchQuantiles } from '../../../src/core/stats/quantiles';
import { random } from './helpers';

/** Largest |estimated rank − true rank| / n over 200 probe points, against the sorted truth. */
function maxRankError(sketch: KllSketch, data: Float64Array): number {
  const sorted = data.slice().sort();
  const view = sketchQuantiles(sketch, sorted[0], sorted[sorted.length - 1]);
  let worst = 0;
  for (let i = 1; i < 200; i++) {
    const q = i / 200;
    const value = view.quantile(q);
    // The true rank range of `value` in the data: any rank in [below, atOrBelow] is right.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    const below = lo;
    hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= value) lo = mid + 1;
      else hi = mid;
    }
    const target = q * sorted.length;
    const error = target < below ? below - target : target > lo ? target - lo : 0;
    worst = Math.max(worst, error / sorted.length);
  }
  return worst;
}

function dataset(n: number, kind: 'uniform' | 'normal' | 'sorted' | 'heavy', seed = 1): Float64Array {
  const next = random(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (kind === 'uniform') out[i] = next();
    else if (kind === 'sorted') out[i] = i;
    else if (kind === 'heavy') out[i] = Math.floor(1 / (next() + 1e-9));
    else out[i] = Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next()) * 1e3 + 1e9;
  }
  return out;
}

function sketchOf(data: Float64Array, chunk = 65536): KllSketch {
  const sketch = kllCreate();
  for (let at = 0; at < data.length; at += chunk) {
    const part = kllCreate();
    kllAdd(part, data.subarray(at, at + chunk));
    kllMerge(sketch, part);
  }
  return sketch;
}

describe('KLL quantile sketch', () => {
  for (const kind of ['uniform', 'normal', 'sorted', 'heavy'] as const) {
    it(`keeps the rank error under 1% on 200,000 ${kind} values`, () => {
      const data = dataset(200_000, kind);
      const sketch = sketchOf(data);
      assert.equal(sketch.n, data.length);
      const error = maxRankError(sketch, data);
      assert.ok(error < 0.01, `rank error ${error}`);
    });
  }

  it('stays under 1% when two sketches of different data are merged', () => {
    const a = dataset(150_000, 'uniform', 2);
    const b = dataset(150_000, 'normal', 3).map((x) => (x - 1e9) / 1e3);
    const merged = kllMerge(sketchOf(a), sketchOf(b));
    const all = new Float64Array(a.length + b.length);
    all.set(a);
    all.set(b, a.length);
    assert.equal(merged.n, all.length);
    assert.ok(maxRankError(merged, all) < 0.01);
  });

  it('keeps memory bounded: about 3k items for a million values', () => {
    const sketch = sketchOf(dataset(1_000_000, 'uniform', 4));
    const items = sketch.sizes.reduce((a, b) => a + b, 0);
    assert.ok(items < 3 * sketch.k, `${items} items`);
  });

  it('is deterministic and survives JSON', () => {
    const data = dataset(100_000, 'normal', 5);
    const a = kllToJSON(sketchOf(data));
    const b = kllToJSON(sketchOf(data));
    assert.deepEqual(a, b);
    const back = kllFromJSON(JSON.parse(JSON.stringify(a)));
    assert.deepEqual(kllToJSON(back), a);
    assert.throws(() => kllFromJSON({ kind: 'other' }));
  });
});

describe('Misra-Gries', () => {
  it('is exact while the distinct values fit in the counters', () => {
    const counts = Array.from({ length: 500 }, (_, i) => i + 1);
    const a = mgFromCounts(counts, counts.length, (i) => `v${i}`);
    const b = mgFromCounts(counts, counts.length, (i) => `v${i}`);
    const merged = mgMerge(a, b);
    assert.equal(merged.exact, true);
    assert.deepEqual(mgTop(merged, 3), [
      { value: 'v499', count: 1000 },
      { value: 'v498', count: 998 },
      { value: 'v497', count: 996 },
    ]);
  });

  it('keeps heavy hitters with lower-bound counts within n/(k+1) beyond capacity', () => {
    const next = random(9);
    const truth = new Map<string, number>();
    let summary = mgFromCounts([], 0, () => '');
    let n = 0;
    for (let chunk = 0; chunk < 20; chunk++) {
      const local = new Map<string, number>();
      for (let i = 0; i < 10_000; i++) {
        const value = next() < 0.3 ? `hot${Math.floor(next() * 5)}` : `cold${Math.floor(next() * 100_000)}`;
        local.set(value, (local.get(value) ?? 0) + 1);
        truth.set(value, (truth.get(value) ?? 0) + 1);
        n++;
      }
      const values = [...local.keys()];
      summary = mgMerge(
        summary,
        mgFromCounts([...local.values()], values.length, (i) => values[i]),
      );
    }
    assert.equal(summary.exact, false);
    assert.ok(summary.values.length <= 1024);
    const bound = n / 1025;
    summary.values.forEach((v, i) => {
      const real = truth.get(v)!;
      assert.ok(summary.counts[i] <= real && real - summary.counts[i] <= bound, `${v}: ${summary.counts[i]} vs ${real}`);
    });
    assert.deepEqual(
      mgTop(summary, 5)
        .map((e) => e.value)
        .sort(),
      ['hot0', 'hot1', 'hot2', 'hot3', 'hot4'],
    );
  });
});

describe('K-minimum-values', () => {
  const hashes = (from: number, to: number) => {
    const out = new Float64Array(to - from);
    for (let i = from; i < to; i++) {
      hashString(`value-${i}`);
      out[i - from] = hash53();
    }
    return out;
  };

  it('counts exactly below k', () => {
    const sketch = kmvMerge(kmvFromHashes(hashes(0, 8000)), kmvFromHashes(hashes(4000, 12000)));
    assert.deepEqual(kmvCount(sketch), { count: 12000, exact: true });
  });

  it('estimates within 2% above k, merged from overlapping parts', () => {
    let sketch = kmvFromHashes(new Float64Array(0));
    for (let at = 0; at < 300_000; at += 50_000) sketch = kmvMerge(sketch, kmvFromHashes(hashes(Math.max(0, at - 10_000), at + 50_000)));
    const { count, exact } = kmvCount(sketch);
    assert.equal(exact, false);
    assert.equal(sketch.hashes.length, 16384);
    assert.ok(Math.abs(count - 300_000) / 300_000 < 0.02, `estimate ${count}`);
  });

  it('hashes a string and its UTF-8 bytes alike', () => {
    for (const text of ['Cash', 'Zürich', '東京', '']) {
      hashString(text);
      const a = hash53();
      const bytes = Buffer.from(text);
      hashBytes(bytes, 0, bytes.length);
      assert.equal(hash53(), a);
    }
  });
});

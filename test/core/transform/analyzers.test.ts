import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXACT_DISTINCT_LIMIT, NumericSummary } from '../../../src/core/transform/analyzers';
import { fnv1a32 } from '../../../src/core/transform/hash';
import { bucketOf, medianOf, quantileBoundaries } from '../../../src/core/transform/quantiles';
import { compareCodePoints, orderVocabulary } from '../../../src/core/transform/vocabulary';

const exact = (values: number[]) => {
  const sorted = [...new Set(values)].sort((a, b) => a - b);
  return { values: sorted, weights: sorted.map((v) => values.filter((x) => x === v).length) };
};

/** FNV-1a 32 written out byte by byte over Buffer's UTF-8, as the reference. */
function referenceFnv(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

describe('the string hash', () => {
  it('is FNV-1a 32 over UTF-8 (published test vectors)', () => {
    assert.equal(fnv1a32(''), 0x811c9dc5);
    assert.equal(fnv1a32('a'), 0xe40c292c);
    assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  });

  it('hashes non-ASCII text by its UTF-8 bytes', () => {
    for (const text of ['naïve', '日本語', '😀 emoji', 'a\u{10FFFF}b', 'Ω≈ç√']) assert.equal(fnv1a32(text), referenceFnv(text), text);
    assert.equal(fnv1a32('\ud800x'), referenceFnv('\ufffdx'), 'a lone surrogate hashes as U+FFFD');
  });
});

describe('vocabulary order (TFT)', () => {
  const counts = new Map([
    ['b', 2],
    ['a', 3],
    ['d', 1],
    ['c', 2],
    ['e', 1],
  ]);

  it('sorts by decreasing count, ties by reverse lexicographic order', () => {
    assert.deepEqual(orderVocabulary(counts), ['a', 'c', 'b', 'e', 'd']);
  });

  it('keeps tokens with count >= frequency_threshold, then the top_k first', () => {
    assert.deepEqual(orderVocabulary(counts, { frequencyThreshold: 2 }), ['a', 'c', 'b']);
    assert.deepEqual(orderVocabulary(counts, { topK: 2 }), ['a', 'c']);
    assert.deepEqual(orderVocabulary(counts, { topK: 4, frequencyThreshold: 2 }), ['a', 'c', 'b']);
    assert.deepEqual(orderVocabulary(counts, { topK: 0 }), []);
  });

  it('compares by code point (UTF-8 byte order), not UTF-16 units', () => {
    // U+FF21 is one UTF-16 unit above the surrogates of U+1F600, but below it as a code point.
    assert.ok(compareCodePoints('\uff21', '😀') < 0);
    assert.ok('\uff21' > '😀', 'JavaScript alone orders them the other way');
    assert.ok(compareCodePoints('ab', 'abc') < 0);
    assert.equal(compareCodePoints('x', 'x'), 0);
    assert.deepEqual(
      orderVocabulary(
        new Map([
          ['\uff21', 1],
          ['😀', 1],
        ]),
      ),
      ['😀', '\uff21'],
    );
  });
});

describe('quantile boundaries and buckets', () => {
  it('puts boundaries at ranks i·n/buckets', () => {
    assert.deepEqual(quantileBoundaries(exact([1, 2, 3, 4, 5, 6, 7, 8]), 8, 4), [3, 5, 7]);
    assert.deepEqual(quantileBoundaries(exact([1, 2, 3, 4]), 4, 2), [3]);
  });

  it('gives fewer buckets when the column has few distinct values', () => {
    assert.deepEqual(quantileBoundaries(exact([0, 0, 0, 1, 1]), 5, 4), [1]);
    assert.deepEqual(quantileBoundaries(exact([7, 7, 7]), 3, 10), []);
    assert.deepEqual(quantileBoundaries(exact([]), 0, 10), []);
  });

  it('sends a value equal to a boundary to the bucket above', () => {
    const boundaries = [3, 5, 7];
    assert.deepEqual(
      [-10, 2.99, 3, 4, 5, 6.5, 7, 100].map((x) => bucketOf(boundaries, x)),
      [0, 0, 1, 1, 2, 2, 3, 3],
    );
    assert.equal(bucketOf([], 42), 0);
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    assert.equal(medianOf(exact([3, 1, 2]), 3), 2);
    assert.equal(medianOf(exact([1, 2, 3, 10]), 4), 2.5);
    assert.equal(medianOf(exact([5, 5, 1, 9]), 4), 5);
  });
});

describe('numeric summary', () => {
  it('computes the mean and the population variance across chunks', () => {
    const s = new NumericSummary(false);
    s.add(Float64Array.from([1, 2]), 2);
    s.add(Float64Array.from([3, 4, 99]), 2);
    assert.equal(s.count, 4);
    assert.equal(s.mean, 2.5);
    assert.equal(s.variance, 1.25);
    assert.equal(s.min, 1);
    assert.equal(s.max, 4);
  });

  it('keeps precision on values with a large offset', () => {
    const s = new NumericSummary(false);
    const base = 1e9;
    for (let i = 0; i < 100; i++) s.add(Float64Array.from([base + 1, base + 3]), 2);
    assert.equal(s.mean, base + 2);
    assert.equal(s.variance, 1);
  });

  it('is exact up to the distinct limit and approximate (KLL) beyond it', () => {
    const small = new NumericSummary(true);
    small.add(Float64Array.from([1, 2, 3, 10]), 4);
    assert.equal(small.median(), 2.5);
    const large = new NumericSummary(true);
    const n = 4 * EXACT_DISTINCT_LIMIT;
    const values = Float64Array.from({ length: n }, (_, i) => (i * 7919) % n);
    large.add(values, n);
    const median = large.median();
    assert.ok(Math.abs(median - n / 2) < 0.01 * n, `median ${median} of 0..${n - 1}`);
    const boundaries = large.boundaries(4);
    assert.equal(boundaries.length, 3);
    boundaries.forEach((b, i) => assert.ok(Math.abs(b - ((i + 1) * n) / 4) < 0.01 * n, `boundary ${b}`));
  });
});

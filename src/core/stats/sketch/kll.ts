/**
 * KLL quantile sketch (Karnin, Lang, Liberty 2016; the layout of the authors' reference code):
 * level h holds items of weight 2^h; a full level is sorted and every other item, from a random
 * offset, moves up. Capacities shrink geometrically (factor 2/3) below the top level, so memory is
 * about 3k items whatever the number of values, and two sketches merge by concatenating levels and
 * compacting: the error bound holds under any tree of merges, which is what lets row groups be
 * summarised in parallel and spans combined later.
 *
 * With k = 400 the rank error stays well under 1% of n (measured in the tests: about 0.3% worst
 * case at 1e5..1e6 values). The coin flips come from a seeded xorshift, so a given sequence of
 * updates and merges always gives the same sketch: statistics are reproducible and parallel runs
 * equal single-threaded ones.
 *
 * The state is plain data (numbers and Float64Arrays) so it crosses worker boundaries by
 * structured clone; the functions below mutate the sketch they are given, as builders do.
 */

export const KLL_K = 400;
/** The bound quoted in statistics (NumericStatistics.rankError). */
export const KLL_RANK_ERROR = 0.01;
const SEED = 0x2545f491;
const C = 2 / 3;

export interface KllSketch {
  k: number;
  /** Values summarised (the total weight). */
  n: number;
  /** Level h: `sizes[h]` items of weight 2^h at the start of `levels[h]` (the rest is spare room). */
  levels: Float64Array[];
  sizes: number[];
  /** xorshift32 state. */
  rng: number;
}

export function kllCreate(k = KLL_K): KllSketch {
  // Levels grow as values come (append): a file of 100,000 short columns must not hold k slots for each.
  return { k, n: 0, levels: [new Float64Array(8)], sizes: [0], rng: SEED };
}

const capacities = new Map<number, number[]>();

/** Capacity of level h when the sketch has `height` levels (depth below the top shrinks it by 2/3 a level). */
function capacity(k: number, h: number, height: number): number {
  const depth = height - h - 1;
  let table = capacities.get(k);
  if (!table) capacities.set(k, (table = []));
  return (table[depth] ??= Math.ceil(k * C ** depth) + 1);
}

function maxSize(s: KllSketch): number {
  let total = 0;
  for (let h = 0; h < s.levels.length; h++) total += capacity(s.k, h, s.levels.length);
  return total;
}

function totalSize(s: KllSketch): number {
  let total = 0;
  for (const n of s.sizes) total += n;
  return total;
}

/**
 * Adds `count` values from `values` (finite numbers only; the caller counts NaN and ±inf apart).
 * A chunk is sorted once and halved down to the top capacity: halving a sorted run is exactly a
 * compaction (its every-other subsequence is still sorted), so this is the sketch a stream of
 * single updates could have produced, at one native sort instead of one sort per compaction.
 */
export function kllAdd(s: KllSketch, values: Float64Array, count = values.length): void {
  if (count === 0) return;
  let level = sortedCopy(values, count);
  const chunk: KllSketch = { k: s.k, n: count, levels: [], sizes: [], rng: s.rng };
  while (level.length > s.k) {
    const keep = level.length & 1;
    const offset = keep + nextBit(chunk);
    const promoted = new Float64Array((level.length - keep) >> 1);
    for (let i = offset, j = 0; j < promoted.length; i += 2, j++) promoted[j] = level[i];
    chunk.levels.push(level.slice(0, keep));
    chunk.sizes.push(keep);
    level = promoted;
  }
  chunk.levels.push(level);
  chunk.sizes.push(level.length);
  s.rng = chunk.rng;
  // A fresh sketch takes the chunk as it is: merging into nothing would copy it and compact nothing.
  if (s.n === 0) Object.assign(s, { n: count, levels: chunk.levels, sizes: chunk.sizes });
  else kllMerge(s, chunk);
}

/**
 * The first `count` values, sorted. Integer columns of modest range (hours, days, codes, counts)
 * are counting-sorted in linear time: in profiles the native sort was half the cost of statistics.
 */
function sortedCopy(values: Float64Array, count: number): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && Math.floor(v) !== v) integers = false;
  }
  const range = max - min;
  if (count < 64 || !integers || range > 2 * count + 1024) return values.slice(0, count).sort();
  const counts = new Int32Array(range + 1);
  for (let i = 0; i < count; i++) counts[values[i] - min]++;
  const out = new Float64Array(count);
  for (let j = 0, at = 0; j <= range; j++) {
    const c = counts[j];
    if (c > 0) {
      out.fill(min + j, at, at + c);
      at += c;
    }
  }
  return out;
}

/** Merges `other` into `into` (which it returns); `other` is left unchanged. */
export function kllMerge(into: KllSketch, other: KllSketch): KllSketch {
  while (into.levels.length < other.levels.length) grow(into);
  for (let h = 0; h < other.levels.length; h++) append(into, h, other.levels[h], 0, other.sizes[h]);
  into.n += other.n;
  compress(into);
  return into;
}

function append(s: KllSketch, h: number, source: Float64Array, from: number, count: number): void {
  const size = s.sizes[h];
  let level = s.levels[h];
  if (size + count > level.length) {
    const bigger = new Float64Array(Math.max(size + count, level.length * 2, 8));
    bigger.set(level.subarray(0, size));
    level = s.levels[h] = bigger;
  }
  level.set(source.subarray(from, from + count), size);
  s.sizes[h] = size + count;
}

function grow(s: KllSketch): void {
  s.levels.push(new Float64Array(8));
  s.sizes.push(0);
}

function compress(s: KllSketch): void {
  while (totalSize(s) >= maxSize(s)) {
    for (let h = 0; h < s.levels.length; h++) {
      if (s.sizes[h] >= capacity(s.k, h, s.levels.length)) {
        if (h + 1 >= s.levels.length) grow(s);
        compact(s, h);
        if (totalSize(s) < maxSize(s)) break;
      }
    }
  }
}

/** Sorts level h and promotes every other item; an odd item out (the smallest) stays. */
function compact(s: KllSketch, h: number): void {
  const size = s.sizes[h];
  const level = s.levels[h];
  level.subarray(0, size).sort();
  const keep = size & 1;
  const offset = keep + nextBit(s);
  const promoted = new Float64Array((size - keep) >> 1);
  for (let i = offset, j = 0; j < promoted.length; i += 2, j++) promoted[j] = level[i];
  s.sizes[h] = keep;
  append(s, h + 1, promoted, 0, promoted.length);
}

function nextBit(s: KllSketch): number {
  let x = s.rng;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  s.rng = x >>> 0;
  return (s.rng >>> 7) & 1;
}

/** The sketch's items sorted by value, with their weights (2^level); the weights sum to n. */
export function kllPoints(s: KllSketch): { values: Float64Array; weights: Float64Array } {
  let filled = -1;
  let levels = 0;
  for (let h = 0; h < s.sizes.length; h++) if (s.sizes[h] > 0) ((filled = h), levels++);
  // One level holds every item of a small sketch (a short file, a very wide one): sort it alone.
  if (levels <= 1) {
    const h = Math.max(filled, 0);
    const values = s.levels[h].slice(0, s.sizes[h]).sort();
    return { values, weights: new Float64Array(values.length).fill(2 ** h) };
  }
  const total = totalSize(s);
  const pairs = new Float64Array(total);
  const levelOf = new Uint8Array(total);
  let at = 0;
  for (let h = 0; h < s.levels.length; h++) {
    pairs.set(s.levels[h].subarray(0, s.sizes[h]), at);
    levelOf.fill(h, at, at + s.sizes[h]);
    at += s.sizes[h];
  }
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => pairs[a] - pairs[b] || levelOf[a] - levelOf[b]);
  const values = new Float64Array(total);
  const weights = new Float64Array(total);
  order.forEach((i, j) => {
    values[j] = pairs[i];
    weights[j] = 2 ** levelOf[i];
  });
  return { values, weights };
}

/** JSON form: levels as base64 Float64 (a third of the size of decimal text, and exact). */
export interface SerializedKll {
  kind: 'kll';
  version: 1;
  k: number;
  n: number;
  rng: number;
  levels: string[];
}

export function kllToJSON(s: KllSketch): SerializedKll {
  return {
    kind: 'kll',
    version: 1,
    k: s.k,
    n: s.n,
    rng: s.rng,
    levels: s.levels.map((level, h) => {
      const items = level.slice(0, s.sizes[h]);
      return Buffer.from(items.buffer, items.byteOffset, items.byteLength).toString('base64');
    }),
  };
}

export function kllFromJSON(json: unknown): KllSketch {
  const j = json as SerializedKll;
  if (!j || j.kind !== 'kll' || j.version !== 1 || !Array.isArray(j.levels)) throw new Error('not a KLL sketch (expected { kind: "kll", version: 1 })');
  const levels = j.levels.map((b64) => {
    const bytes = Buffer.from(b64, 'base64');
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    return new Float64Array(copy.buffer, 0, bytes.length / 8);
  });
  return { k: j.k, n: j.n, rng: j.rng, levels, sizes: levels.map((l) => l.length) };
}

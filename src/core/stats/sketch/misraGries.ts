/**
 * Misra-Gries frequent items with 1024 counters, as TFDV's in-memory path. Exact while no more than
 * 1024 distinct values have been seen (no counter was ever decremented); after that every count is a
 * lower bound within n / 1025 of the truth. Built from exact per-chunk counts and combined with the
 * mergeable-summaries rule (Agarwal et al. 2012): add the counters, and when more than `capacity`
 * remain subtract the (capacity+1)-th largest count from all and drop those at or below zero. The
 * error bound survives any order and tree of merges.
 */

export const MG_CAPACITY = 1024;

export interface MisraGries {
  capacity: number;
  /** Counts are exact (no reduction ever happened). */
  exact: boolean;
  values: string[];
  counts: number[];
}

/**
 * A summary of exact counts (one chunk's values). `valueOf` is called only for entries that survive
 * the reduction, so a chunk of a million distinct strings materialises at most `capacity` of them.
 */
export function mgFromCounts(counts: ArrayLike<number>, size: number, valueOf: (i: number) => string, capacity = MG_CAPACITY): MisraGries {
  if (size <= capacity) {
    const values = new Array<string>(size);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) {
      values[i] = valueOf(i);
      out[i] = counts[i];
    }
    return { capacity, exact: true, values, counts: out };
  }
  const cut = kthLargest(counts, size, capacity + 1);
  const values: string[] = [];
  const out: number[] = [];
  for (let i = 0; i < size; i++) {
    if (counts[i] > cut) {
      values.push(valueOf(i));
      out.push(counts[i] - cut);
    }
  }
  return { capacity, exact: false, values, counts: out };
}

/** Merges two summaries into a new one. */
export function mgMerge(a: MisraGries, b: MisraGries): MisraGries {
  const index = new Map<string, number>();
  const values = a.values.slice();
  const counts = a.counts.slice();
  values.forEach((v, i) => index.set(v, i));
  b.values.forEach((v, i) => {
    const at = index.get(v);
    if (at === undefined) {
      index.set(v, values.length);
      values.push(v);
      counts.push(b.counts[i]);
    } else {
      counts[at] += b.counts[i];
    }
  });
  const merged = mgFromCounts(counts, counts.length, (i) => values[i], a.capacity);
  merged.exact = merged.exact && a.exact && b.exact;
  return merged;
}

/** Entries by decreasing count, ties by value so the order is reproducible. */
export function mgTop(s: MisraGries, limit: number): { value: string; count: number }[] {
  const order = s.values.map((_, i) => i);
  order.sort((x, y) => s.counts[y] - s.counts[x] || (s.values[x] < s.values[y] ? -1 : s.values[x] > s.values[y] ? 1 : 0));
  return order.slice(0, limit).map((i) => ({ value: s.values[i], count: s.counts[i] }));
}

function kthLargest(counts: ArrayLike<number>, size: number, k: number): number {
  const copy = new Float64Array(size);
  for (let i = 0; i < size; i++) copy[i] = counts[i];
  copy.sort();
  return copy[size - k];
}

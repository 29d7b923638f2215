import { performance } from 'node:perf_hooks';

export function elapsedMs(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Median of several timed calls after one warm-up call (statement preparation, page cache). */
export function medianMs(fn: () => void, samples = 15): number {
  fn();
  const times = Array.from({ length: samples }, () => elapsedMs(fn)).sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** Rounded for reading: whole numbers above 100, three significant digits below. */
export function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

/**
 * Prediction traffic over an interval, for the editor's status bar and Monitoring panel: rates and
 * latency quantiles from the difference of two snapshots of the server's cumulative counters. The
 * quantiles are estimated from the latency histogram as Prometheus' histogram_quantile does
 * (linear within a bucket), so they cost nothing on the hot path.
 */

/** Cumulative counters of prediction requests (predict, infer, invocations) since the server started. */
export interface TrafficCounters {
  /** Epoch ms when read. */
  at: number;
  requests: number;
  errors: number;
  rows: number;
  /** Requests per latency bucket (not cumulative), in the order of `bounds`, then the overflow. */
  buckets: number[];
  /** Upper bounds of the buckets, seconds. */
  bounds: readonly number[];
}

/** One interval's traffic. */
export interface TrafficStats {
  /** Epoch ms: the interval's end, and its length. */
  at: number;
  seconds: number;
  requestsPerSecond: number;
  errorsPerSecond: number;
  rowsPerSecond: number;
  /** Milliseconds; null when no request was answered in the interval. */
  p50Ms: number | null;
  p99Ms: number | null;
}

export function trafficBetween(before: TrafficCounters, after: TrafficCounters): TrafficStats {
  const seconds = Math.max((after.at - before.at) / 1000, 1e-3);
  const counts = after.buckets.map((n, i) => n - (before.buckets[i] ?? 0));
  return {
    at: after.at,
    seconds,
    requestsPerSecond: (after.requests - before.requests) / seconds,
    errorsPerSecond: (after.errors - before.errors) / seconds,
    rowsPerSecond: (after.rows - before.rows) / seconds,
    p50Ms: histogramQuantile(counts, after.bounds, 0.5),
    p99Ms: histogramQuantile(counts, after.bounds, 0.99),
  };
}

/** The q-quantile in milliseconds of requests counted per bucket; the overflow bucket reads as the largest bound. */
export function histogramQuantile(counts: readonly number[], bounds: readonly number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    if (below + counts[i] >= rank && counts[i] > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] * 1000;
      const lower = i === 0 ? 0 : bounds[i - 1];
      return (lower + (bounds[i] - lower) * ((rank - below) / counts[i])) * 1000;
    }
    below += counts[i];
  }
  return bounds[bounds.length - 1] * 1000;
}

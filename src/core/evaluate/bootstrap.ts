import { deriveSeed, mulberry32 } from '../util/random';
import { defaultDirection } from './metricNames';
import type { MetricValues } from './report';
import { percentile } from '../util/percentile';

/** Metrics of some rows with each row counted `weights[row]` times (one resample). */
export type Estimator = (weights: Uint8Array) => MetricValues;

export interface BootstrapSettings {
  samples: number;
  confidence: number;
  seed: number;
}

// P(K <= k) for K ~ Poisson(1), up to where it reaches 1 in double precision.
const POISSON_CDF: number[] = (() => {
  const cdf: number[] = [];
  let p = Math.exp(-1);
  let sum = 0;
  for (let k = 0; sum < 1 - 1e-16 && k < 40; k++) {
    sum += p;
    cdf.push(sum);
    p /= k + 1;
  }
  return cdf;
})();

/** TFMA's Poisson bootstrap: each row is drawn Poisson(1) times, by inverting the distribution function. */
export function poissonWeights(rowCount: number, random: () => number): Uint8Array {
  const weights = new Uint8Array(rowCount);
  const last = POISSON_CDF.length - 1;
  for (let i = 0; i < rowCount; i++) {
    const u = random();
    let k = 0;
    while (k < last && u >= POISSON_CDF[k]) k++;
    weights[i] = k;
  }
  return weights;
}

/**
 * Percentile confidence intervals of every metric of every estimator. Each resample draws one weight
 * per row, shared by all estimators, from a stream seeded by (seed, sample), so the intervals repeat
 * exactly. A metric a resample cannot compute (a resample with one class) does not count toward
 * its interval; a metric no resample computed gets none.
 */
export function bootstrapIntervals(estimators: readonly Estimator[], rowCount: number, settings: BootstrapSettings): Record<string, [number, number]>[] {
  const draws = estimators.map(() => new Map<string, number[]>());
  for (let sample = 0; sample < settings.samples; sample++) {
    const weights = poissonWeights(rowCount, mulberry32(deriveSeed(settings.seed, sample)));
    estimators.forEach((estimate, e) => {
      for (const [metric, value] of Object.entries(estimate(weights))) {
        if (value === null) continue;
        const values = draws[e].get(metric);
        if (values) values.push(value);
        else draws[e].set(metric, [value]);
      }
    });
  }
  const tail = (1 - settings.confidence) / 2;
  return draws.map((byMetric) =>
    Object.fromEntries(
      [...byMetric].map(([metric, values]) => {
        values.sort((a, b) => a - b);
        return [metric, [percentile(values, tail), percentile(values, 1 - tail)]];
      }),
    ),
  );
}

/**
 * Metrics on which a slice is significantly worse than Overall: its interval lies wholly on the bad
 * side of Overall's value. Metrics with no better direction (counts, means, calibration) never are.
 */
export function significantlyWorse(intervals: Record<string, [number, number]>, overall: MetricValues): string[] {
  return Object.entries(intervals)
    .filter(([metric, [lower, upper]]) => {
      const reference = overall[metric];
      if (reference === null || reference === undefined) return false;
      const direction = defaultDirection(metric);
      return direction === 'higher' ? upper < reference : direction === 'lower' ? lower > reference : false;
    })
    .map(([metric]) => metric);
}

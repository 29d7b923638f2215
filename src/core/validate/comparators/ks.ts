import { kolmogorovSurvival } from '../special/kolmogorov';
import { normalizedPoints, type QuantileView } from './view';

/**
 * Two-sample Kolmogorov-Smirnov statistic D = sup |F_cur(x) − F_ref(x)|. Both CDFs are steps that
 * only jump at support points, so the supremum is reached at one of the two views' points.
 */
export function ksStatistic(current: QuantileView, reference: QuantileView): number {
  const xs = [...new Set([...normalizedPoints(current), ...normalizedPoints(reference)].map((p) => p.value))];
  let d = 0;
  for (const x of xs) d = Math.max(d, Math.abs(clamp01(current.cdf(x)) - clamp01(reference.cdf(x))));
  return d;
}

/**
 * The statistic with its asymptotic p-value: Kolmogorov's distribution at √n_e · D with the
 * effective sample size n_e = n·m / (n + m) (what scipy's `ks_2samp(mode='asymp')` approximates).
 */
export function ksTest(current: QuantileView, reference: QuantileView): { statistic: number; pValue: number } {
  const n = current.count;
  const m = reference.count;
  if (!(n > 0) || !(m > 0)) return { statistic: 0, pValue: 1 };
  const statistic = ksStatistic(current, reference);
  const effective = (n * m) / (n + m);
  return { statistic, pValue: kolmogorovSurvival(Math.sqrt(effective) * statistic) };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

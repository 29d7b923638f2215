import { chiSquareSurvival } from '../special/gamma';
import { type CategoryCounts, total, unionKeys } from './view';

/**
 * Chi-square test of homogeneity on a 2 × k table (the two datasets × the union of values):
 * χ² = Σ (O − E)² / E with E = row total · column total / N, df = k − 1, p-value from the
 * chi-square upper tail (regularized incomplete gamma). For two categories this equals the pooled
 * two-proportion z-test (χ² = z²), which Evidently uses for binary columns, so one test covers both.
 */
export function chiSquareTest(current: CategoryCounts, reference: CategoryCounts): { statistic: number; df: number; pValue: number } {
  const nc = total(current);
  const nr = total(reference);
  const keys = unionKeys(current, reference).filter((k) => (current.get(k) ?? 0) + (reference.get(k) ?? 0) > 0);
  if (nc === 0 || nr === 0 || keys.length < 2) return { statistic: 0, df: Math.max(0, keys.length - 1), pValue: 1 };
  const n = nc + nr;
  let statistic = 0;
  for (const k of keys) {
    const col = (current.get(k) ?? 0) + (reference.get(k) ?? 0);
    for (const [observed, row] of [
      [current.get(k) ?? 0, nc],
      [reference.get(k) ?? 0, nr],
    ] as const) {
      const expected = (row * col) / n;
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  const df = keys.length - 1;
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}

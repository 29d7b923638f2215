import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquareTest } from '../../../src/core/validate/comparators/chi2';
import {
  histogramFromView,
  jensenShannon,
  jensenShannonCategorical,
  jensenShannonHistograms,
  jensenShannonNumeric,
  rebucket,
} from '../../../src/core/validate/comparators/jsd';
import { ksStatistic, ksTest } from '../../../src/core/validate/comparators/ks';
import { lInfinity } from '../../../src/core/validate/comparators/linf';
import { PSI_EMPTY_SHARE, populationStability, psiCategorical, psiNumeric } from '../../../src/core/validate/comparators/psi';
import type { QuantileView } from '../../../src/core/validate/comparators/view';
import { normalizedWasserstein, wasserstein1 } from '../../../src/core/validate/comparators/wasserstein';
import { sampleView } from './fixtures';

const close = (actual: number, expected: number, tol: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected}, got ${actual}`);
const counts = (o: Record<string, number>) => new Map(Object.entries(o));

/** The exact uniform distribution on [a, b] as a view (for JSD with known closed forms). */
function uniformView(a: number, b: number, n = 1000): QuantileView {
  return {
    count: n,
    quantile: (q) => a + Math.min(1, Math.max(0, q)) * (b - a),
    cdf: (x) => Math.min(1, Math.max(0, (x - a) / (b - a))),
    points: () => Array.from({ length: n }, (_, i) => ({ value: a + ((i + 0.5) / n) * (b - a), weight: 1 })),
  };
}

describe('L-infinity', () => {
  it('is the largest difference of the normalized counts, reported where it is reached', () => {
    // cur: a .5 b .3 c .2; ref: a .25 b .25 c .25 d .25 → |.5−.25| = .25 at a, d: .25 as well (tie → a first)
    const r = lInfinity(counts({ a: 5, b: 3, c: 2 }), counts({ a: 1, b: 1, c: 1, d: 1 }));
    close(r.value, 0.25, 1e-15);
    assert.equal(r.at, 'a');
    // Cash .6 vs .45, Card .4 vs .45, Mobile 0 vs .1 (a value only one side has counts as 0 there)
    const s = lInfinity(counts({ Cash: 60, Card: 40 }), counts({ Cash: 45, Card: 45, Mobile: 10 }));
    close(s.value, 0.15, 1e-15);
    assert.equal(s.at, 'Cash');
    assert.deepEqual(lInfinity(counts({ x: 3 }), counts({ x: 7 })), { value: 0, at: undefined });
  });
});

describe('Jensen-Shannon divergence (log base 2)', () => {
  it('matches hand computations on known distributions', () => {
    assert.equal(jensenShannon([1, 0], [0, 1]), 1);
    assert.equal(jensenShannon([2, 3], [4, 6]), 0);
    // P = (.5, .5), Q = (1, 0): M = (.75, .25): ½(.5 log2(.5/.75) + .5 log2(.5/.25)) + ½ log2(1/.75)
    const expected = 0.5 * (0.5 * Math.log2(0.5 / 0.75) + 0.5 * Math.log2(2)) + 0.5 * Math.log2(1 / 0.75);
    close(jensenShannonCategorical(counts({ a: 1, b: 1 }), counts({ a: 4 })), expected, 1e-15);
    close(expected, 0.311278, 1e-6);
  });

  it('numeric: uniform [0,1] against uniform [0.5,1.5] is exactly 0.5', () => {
    // M = ½ on [0,.5], 1 on [.5,1], ½ on [1,1.5]: KL(P‖M) = ∫₀^.5 log2 2 = .5, same for Q.
    close(jensenShannonNumeric(uniformView(0, 1), uniformView(0.5, 1.5)), 0.5, 1e-9);
    close(jensenShannonNumeric(uniformView(0, 1), uniformView(0, 1)), 0, 1e-12);
    close(jensenShannonNumeric(uniformView(0, 1), uniformView(2, 3)), 1, 1e-12);
  });

  it('re-buckets assuming uniform mass inside a bucket, point masses whole', () => {
    assert.deepEqual(rebucket([{ low: 0, high: 2, mass: 1 }], [0, 0.5, 2, 4]), [0.25, 0.75, 0]);
    assert.deepEqual(rebucket([{ low: 2, high: 2, mass: 0.3 }], [0, 2, 4]), [0, 0.3]);
    // A column that is 40% zeros keeps its spike as a point mass.
    const h = histogramFromView(sampleView([0, 0, 0, 0, 1, 2, 3, 4, 5, 6]), 5);
    assert.deepEqual(h[0], { low: 0, high: 0, mass: 0.4 });
    close(
      h.reduce((s, b) => s + b.mass, 0),
      1,
      1e-12,
    );
    // TFDV's histogram JSD: [0,1] vs [.5,1.5] with one bucket each is 0.5 under the uniform assumption.
    close(jensenShannonHistograms([{ low: 0, high: 1, mass: 1 }], [{ low: 0.5, high: 1.5, mass: 1 }]), 0.5, 1e-12);
  });

  it('numeric: two samples of one discrete distribution score near 0', () => {
    const values = Array.from({ length: 4000 }, (_, i) => Math.round(10 * Math.sin(i * 12.9898) ** 2 * 20) / 10);
    const a = sampleView(values.filter((_, i) => i % 2 === 0));
    const b = sampleView(values.filter((_, i) => i % 2 === 1));
    assert.ok(jensenShannonNumeric(a, b) < 0.01, String(jensenShannonNumeric(a, b)));
  });
});

describe('PSI', () => {
  it('is Σ (ref − cur) ln(ref / cur), with empty bins smoothed to 0.0001', () => {
    const ref = [0.5, 0.3, 0.2];
    const cur = [0.4, 0.4, 0.2];
    const expected = (0.5 - 0.4) * Math.log(0.5 / 0.4) + (0.3 - 0.4) * Math.log(0.3 / 0.4);
    close(populationStability(cur, ref), expected, 1e-15);
    const smoothed = (0.5 - PSI_EMPTY_SHARE) * Math.log(0.5 / PSI_EMPTY_SHARE) + (0.5 - 1) * Math.log(0.5 / 1);
    close(psiCategorical(counts({ a: 10 }), counts({ a: 5, b: 5 })), smoothed, 1e-12);
  });

  it('numeric: 10 bins at the reference deciles', () => {
    const ref = Array.from({ length: 100 }, (_, i) => i); // deciles 9.5.. → bins of 10 values each
    const same = psiNumeric(sampleView(ref), sampleView(ref));
    close(same, 0, 1e-15);
    // Current: all values in the lowest decile → one bin 100%, nine bins empty (smoothed).
    const cur = Array.from({ length: 50 }, (_, i) => i % 10);
    const expected = (0.1 - 1) * Math.log(0.1 / 1) + 9 * (0.1 - PSI_EMPTY_SHARE) * Math.log(0.1 / PSI_EMPTY_SHARE);
    close(psiNumeric(sampleView(cur), sampleView(ref)), expected, 1e-9);
  });
});

describe('Wasserstein', () => {
  it('of a uniform sample and its shift by c is c (and c / std normalized)', () => {
    const n = 200;
    const u = Array.from({ length: n }, (_, i) => i / n);
    for (const c of [0.05, 0.3, 2]) {
      const shifted = u.map((x) => x + c);
      close(wasserstein1(sampleView(shifted), sampleView(u)), c, 1e-12, `shift ${c}`);
      const mean = u.reduce((s, x) => s + x, 0) / n;
      const std = Math.sqrt(u.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
      close(normalizedWasserstein(sampleView(shifted), sampleView(u)), c / std, 1e-9);
    }
  });

  it('equals the mean absolute difference of sorted equal-size samples', () => {
    const a = [3, 1, 4, 1, 5, 9, 2, 6];
    const b = [2, 7, 1, 8, 2, 8, 1, 8];
    const sa = [...a].sort((x, y) => x - y);
    const sb = [...b].sort((x, y) => x - y);
    const direct = sa.reduce((s, x, i) => s + Math.abs(x - sb[i]), 0) / a.length;
    close(wasserstein1(sampleView(a), sampleView(b)), direct, 1e-12);
  });
});

describe('Kolmogorov-Smirnov', () => {
  it('statistic equals the largest ECDF gap computed directly from the samples', () => {
    const a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06];
    const b = [-0.8, -0.24, 1.11, 2.1, 1.37, 0.94, 1.51, 0.33, 1.22, 0.68];
    const ecdf = (s: number[], x: number) => s.filter((v) => v <= x).length / s.length;
    let direct = 0;
    for (const x of [...a, ...b]) direct = Math.max(direct, Math.abs(ecdf(a, x) - ecdf(b, x)));
    close(ksStatistic(sampleView(a), sampleView(b)), direct, 1e-15);
  });

  it('p-value is Kolmogorov’s survival at √(nm/(n+m))·D', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    const b = a.map((x) => x + 20); // D = 0.2, n_e = 50, λ = √50 · 0.2
    const r = ksTest(sampleView(a), sampleView(b));
    close(r.statistic, 0.2, 1e-12);
    const l = Math.sqrt(50) * 0.2;
    close(r.pValue, 2 * (Math.exp(-2 * l * l) - Math.exp(-8 * l * l) + Math.exp(-18 * l * l)), 1e-12);
    close(r.pValue, 0.03663, 1e-4);
  });
});

describe('chi-square test of homogeneity', () => {
  it('matches a hand-computed 2×2 table and the two-proportion z-test', () => {
    const r = chiSquareTest(counts({ a: 30, b: 70 }), counts({ a: 50, b: 50 }));
    // Expected 40/60 in both rows: 2 · (100/40 + 100/60) = 8.3333
    close(r.statistic, 2 * (100 / 40 + 100 / 60), 1e-12);
    assert.equal(r.df, 1);
    // z = (.3 − .5) / √(p(1−p)(2/100)), p = .4 → z² = χ²; two-sided p = erfc(|z|/√2)
    const z = 0.2 / Math.sqrt(0.4 * 0.6 * 0.02);
    close(z * z, r.statistic, 1e-9);
    close(r.pValue, erfc(z / Math.SQRT2), 1e-6);
  });

  it('has k − 1 degrees of freedom and p = 1 for identical shares', () => {
    const r = chiSquareTest(counts({ a: 10, b: 20, c: 30 }), counts({ a: 20, b: 40, c: 60 }));
    assert.equal(r.df, 2);
    close(r.statistic, 0, 1e-12);
    close(r.pValue, 1, 1e-12);
    assert.equal(chiSquareTest(counts({ a: 5 }), counts({ a: 9 })).pValue, 1);
  });
});

/** erfc by its continued fraction / series (independent of the gamma code under test). */
function erfc(x: number): number {
  // Numerical integration of 2/√π ∫ₓ^∞ e^(−t²) dt by Simpson's rule on [x, x + 10].
  const n = 20000;
  const h = 10 / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const t = x + i * h;
    s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * Math.exp(-t * t);
  }
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}

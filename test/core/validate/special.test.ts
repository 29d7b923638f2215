import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquareSurvival, gammaP, gammaQ, lnGamma } from '../../../src/core/validate/special/gamma';
import { kolmogorovSurvival } from '../../../src/core/validate/special/kolmogorov';

const close = (actual: number, expected: number, tol: number, what = '') =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} expected ${expected}, got ${actual}`);

describe('regularized incomplete gamma', () => {
  it('ln Γ matches factorials and Γ(1/2) = √π', () => {
    for (let n = 1; n <= 20; n++) {
      let f = 1;
      for (let k = 2; k < n; k++) f *= k;
      close(lnGamma(n), Math.log(f), 1e-10, `lnΓ(${n})`);
    }
    close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12);
  });

  it('P(1, x) = 1 − e^−x and P + Q = 1 on both branches', () => {
    for (const x of [0.01, 0.5, 1, 2, 5, 20]) {
      close(gammaP(1, x), 1 - Math.exp(-x), 1e-13, `P(1,${x})`);
      for (const a of [0.5, 1, 3.5, 10]) close(gammaP(a, x) + gammaQ(a, x), 1, 1e-13);
    }
  });

  it('chi-square upper tail matches the critical values of standard tables', () => {
    // df, critical value, tail probability (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.4)
    const table: [number, number, number][] = [
      [1, 3.841, 0.05],
      [1, 6.635, 0.01],
      [2, 5.991, 0.05],
      [2, 9.21, 0.01],
      [3, 7.815, 0.05],
      [5, 11.07, 0.05],
      [5, 15.086, 0.01],
      [10, 18.307, 0.05],
      [10, 23.209, 0.01],
      [30, 43.773, 0.05],
      [100, 124.342, 0.05],
    ];
    for (const [df, x, p] of table) close(chiSquareSurvival(x, df), p, 2e-4, `df ${df} x ${x}`);
    // df 2 has the closed form e^(−x/2).
    for (const x of [0.1, 1, 4, 30]) close(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-13);
  });
});

describe('Kolmogorov distribution', () => {
  it('matches the classic critical values', () => {
    close(kolmogorovSurvival(1.358), 0.05, 2e-4, 'λ 1.358');
    close(kolmogorovSurvival(1.628), 0.01, 2e-4, 'λ 1.628');
    close(kolmogorovSurvival(1.224), 0.1, 2e-4, 'λ 1.224');
    close(kolmogorovSurvival(0.828), 0.5, 2e-3, 'λ 0.828');
  });

  it('both series agree around the switch and the ends are right', () => {
    const alternating = (l: number) => {
      let s = 0;
      for (let k = 1; k < 200; k++) s += (k % 2 ? 2 : -2) * Math.exp(-2 * k * k * l * l);
      return s;
    };
    for (const l of [0.8, 0.9, 0.99, 1.0, 1.01]) close(kolmogorovSurvival(l), alternating(l), 1e-10, `λ ${l}`);
    assert.equal(kolmogorovSurvival(0), 1);
    assert.ok(kolmogorovSurvival(0.2) > 0.99999);
    assert.ok(kolmogorovSurvival(4) < 1e-12);
  });
});

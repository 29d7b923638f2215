/**
 * The Kolmogorov distribution's survival function Q(λ) = P(K > λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²),
 * the asymptotic p-value of the two-sample KS test at λ = √(n·m/(n+m)) · D. The alternating
 * series converges fast for λ ≳ 1 but needs many terms near 0, where the dual (Jacobi theta)
 * form P(K ≤ λ) = √(2π)/λ Σ e^(−(2k−1)²π²/(8λ²)) converges in a few; switch at λ = 1.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (!(lambda > 0)) return 1;
  if (lambda < 1) {
    let sum = 0;
    for (let k = 1; k <= 20; k++) sum += Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * lambda * lambda));
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / lambda) * sum);
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return clamp01(2 * sum);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

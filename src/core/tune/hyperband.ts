/**
 * Hyperband (Li et al., 2018): brackets of successive halving that trade many trials on few epochs
 * against few trials on many. With R = max epochs and s_max = ⌊log_eta R⌋, bracket s starts
 * n = ⌈(s_max + 1) / (s + 1) · eta^s⌉ trials on R · eta^-s epochs; after each rung the best
 * ⌊n_i / eta⌋ go on with eta times the epochs, up to R.
 */
export interface Rung {
  trials: number;
  /** The epoch a trial trains until in this rung (counted from its start). */
  epochs: number;
}

export interface Bracket {
  s: number;
  rungs: Rung[];
}

export function hyperbandBrackets(maxEpochs: number, eta: number): Bracket[] {
  let sMax = 0;
  while (Math.pow(eta, sMax + 1) <= maxEpochs) sMax++;
  const brackets: Bracket[] = [];
  for (let s = sMax; s >= 0; s--) {
    const n = Math.ceil(((sMax + 1) / (s + 1)) * Math.pow(eta, s));
    const rungs: Rung[] = [];
    for (let i = 0; i <= s; i++) {
      rungs.push({ trials: Math.floor(n / Math.pow(eta, i)), epochs: Math.max(1, Math.round(maxEpochs / Math.pow(eta, s - i))) });
    }
    brackets.push({ s, rungs });
  }
  return brackets;
}

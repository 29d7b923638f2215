/**
 * TensorBoard's smoothing: an exponential moving average with its start-up bias removed (dividing by
 * 1 - w^n), so the first points are not pulled towards zero. It depends only on earlier points, so
 * a live series is smoothed incrementally: pass the returned state with the next points.
 */
export interface EmaState {
  /** The biased running average. */
  last: number;
  /** Finite values seen so far. */
  count: number;
}

export const EMA_START: EmaState = { last: 0, count: 0 };

export function emaSmooth(values: ArrayLike<number>, weight: number, state: EmaState = EMA_START): { smoothed: number[]; state: EmaState } {
  const smoothed = new Array<number>(values.length);
  let { last, count } = state;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      // A NaN loss stays visible as such instead of poisoning every later average.
      smoothed[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    count++;
    const debias = weight === 1 ? 1 : 1 - weight ** count;
    smoothed[i] = last / debias;
  }
  return { smoothed, state: { last, count } };
}

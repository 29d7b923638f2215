import type { TrainConfig } from '../pipeline/config';

export type EarlyStoppingConfig = NonNullable<TrainConfig['earlyStopping']>;

/** Keras's EarlyStopping state; plain data, so it goes into a checkpoint as JSON. */
export interface EarlyStoppingState {
  /** The best monitored value so far (null before the first epoch). */
  best: number | null;
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

export const initialEarlyStopping = (): EarlyStoppingState => ({ best: null, bestEpoch: 0, wait: 0 });

/**
 * One epoch's verdict: improved when the value beats the best by more than `minDelta` in the
 * monitored direction (NaN, e.g. an AUC of one-class data, never improves); stop when `patience` epochs in a row did not improve.
 */
export function observeEpoch(
  config: EarlyStoppingConfig,
  state: EarlyStoppingState,
  epoch: number,
  value: number,
): { state: EarlyStoppingState; improved: boolean; stop: boolean } {
  const improved =
    !Number.isNaN(value) && (state.best === null || (config.mode === 'min' ? value < state.best - config.minDelta : value > state.best + config.minDelta));
  const next: EarlyStoppingState = improved ? { best: value, bestEpoch: epoch, wait: 0 } : { ...state, wait: state.wait + 1 };
  return { state: next, improved, stop: next.wait >= config.patience };
}

import type { TrainConfig, TuneConfig } from '../pipeline/config';

/** One point of the search space: a value per dimension path (`learning_rate`, `model.hidden`, ...). */
export type TrialParams = Record<string, unknown>;

export interface TrialResult {
  trial: number;
  /** The child run that holds this trial's params and curves. */
  runId: number;
  params: TrialParams;
  status: 'complete' | 'failed' | 'stopped';
  /** Epochs trained (Hyperband gives trials different budgets). */
  epochs: number;
  /** The objective's best value over the trial's epochs; undefined when it failed. */
  objective?: number;
  error?: string;
}

export interface TuneOutcome {
  trials: TrialResult[];
  best: TrialResult;
  /** The train settings with the best trial's params applied: what trains the final model. */
  bestConfig: TrainConfig;
}

export type { TuneConfig };

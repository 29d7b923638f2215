import type { TrainConfig, TuneConfig } from '../pipeline/config';
import type { ExecutorTracking } from '../runner/executor';
import type { MetricPoint } from '../store/types';

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
  /** The tfjs backend the trial trained on, when it got that far. */
  backend?: string;
}

export interface TuneOutcome {
  trials: TrialResult[];
  best: TrialResult;
  /** The train settings with the best trial's params applied: what trains the final model. */
  bestConfig: TrainConfig;
}

export type { TuneConfig };

/** Everything `runTuning` needs; the train executor builds it from its context and inputs. */
export interface TuneRequest {
  /** The train settings; `train.tune` says how to tune them. */
  train: TrainConfig;
  /** Folder of the `transform_graph` artifact (the fitted transform). */
  transformGraph: string;
  /** Folder of the `transformed_examples` artifact (the `train` and `eval` splits). */
  transformedExamples: string;
  /**
   * A folder that survives a crash (ExecutorContext.checkpointDir): the tuning state file and one
   * checkpoint folder per trial live here.
   */
  checkpointDir: string;
  /** Continue the tuning recorded in `checkpointDir` (`mlops run --resume`); otherwise start over. */
  resume: boolean;
  signal: AbortSignal;
  tracking: Pick<ExecutorTracking, 'startChildRun' | 'logMetrics' | 'finishChildRun'>;
  progress(message: string, fraction?: number): void;
  log(line: string): void;
}

/** One piece of training for one trial: train it until `epochs`, continuing from its checkpoint when `resume`. */
export interface TrialJob {
  trial: number;
  params: TrialParams;
  /** The train settings with the trial's params applied and `epochs` set to the budget. */
  config: TrainConfig;
  /** The epoch to train until, counted from the trial's start (a continued trial trains only the rest). */
  epochs: number;
  /** This trial's own folder: its checkpoints (and whatever else its training writes) go inside. */
  checkpointDir: string;
  resume: boolean;
  signal: AbortSignal;
  /** Per-epoch metrics (step = epoch); the objective metric is read from these. */
  onMetrics(points: MetricPoint[]): void;
  log(line: string): void;
}

export interface TrialJobResult {
  /** The last epoch trained. */
  epochs: number;
  /** Training stopped before `epochs` (early stopping): the trial cannot be trained further. */
  stoppedEarly: boolean;
  backend?: string;
}

/**
 * Trains one trial for one budget. The default runs trainModel in a pool of worker processes; tests
 * pass a synthetic objective so the schedulers can be checked without training.
 */
export type TrialRunner = (job: TrialJob) => Promise<TrialJobResult>;

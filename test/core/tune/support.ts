import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SearchDimension, TrainConfig, TuneConfig } from '../../../src/core/pipeline/config';
import type { MetricPoint } from '../../../src/core/store/types';
import type { TrialJob, TrialParams, TrialRunner, TuneRequest } from '../../../src/core/tune/types';

export const PIPELINE_FILE = '/work/p.pipeline.yaml';

/** Train settings as the parser makes them, with a tune section; each dimension at its own line. */
export function trainConfig(
  tune: Partial<Omit<TuneConfig, 'space'>> & { space: Record<string, SearchDimension> },
  train: Partial<TrainConfig> = {},
): TrainConfig {
  const space = Object.fromEntries(
    Object.entries(tune.space).map(([k, value], i) => [k, { value, location: { file: PIPELINE_FILE, line: 20 + i, column: 7 } }]),
  );
  return {
    model: { type: 'dnn', hidden: [64, 32], activation: 'relu', dropout: 0, batchNorm: false },
    optimizer: 'adam',
    learningRate: 0.001,
    batchSize: 256,
    epochs: 4,
    seed: 7,
    l2: 0,
    logEveryBatches: 0,
    backend: 'cpu',
    location: { file: PIPELINE_FILE, line: 10, column: 1 },
    ...train,
    tune: {
      strategy: 'random',
      trials: 10,
      parallel: 1,
      objective: { metric: 'val_loss', direction: 'min' },
      maxEpochs: 27,
      eta: 3,
      location: { file: PIPELINE_FILE, line: 18, column: 3 },
      ...tune,
      space,
    },
  };
}

export interface RecordedTracking {
  tracking: TuneRequest['tracking'];
  children: { id: number; params: Record<string, string>; tags?: Record<string, string>; status?: string; error?: string }[];
  metrics: { runId?: number; point: MetricPoint }[];
}

export function recordingTracking(): RecordedTracking {
  const recorded: RecordedTracking = { children: [], metrics: [], tracking: undefined! };
  recorded.tracking = {
    startChildRun: (params, tags) => {
      const id = 100 + recorded.children.length;
      recorded.children.push({ id, params, tags });
      return id;
    },
    logMetrics: (points, runId) => recorded.metrics.push(...points.map((point) => ({ runId, point }))),
    finishChildRun: (id, status, error) =>
      Object.assign(
        recorded.children.find((c) => c.id === id)!,
        { status, error },
      ),
  };
  return recorded;
}

export function tuneRequest(
  train: TrainConfig,
  checkpointDir: string,
  extra: Partial<TuneRequest> = {},
): TuneRequest & { lines: string[]; recorded: RecordedTracking } {
  const lines: string[] = [];
  const recorded = recordingTracking();
  return {
    train,
    transformGraph: path.join(checkpointDir, 'no-transform-graph'),
    transformedExamples: path.join(checkpointDir, 'no-transformed-examples'),
    checkpointDir,
    resume: false,
    signal: new AbortController().signal,
    tracking: recorded.tracking,
    progress: () => undefined,
    log: (line) => lines.push(line),
    lines,
    recorded,
    ...extra,
  };
}

/** The objective the synthetic trials report: best at learning_rate 0.003, better with every epoch. */
export function distanceFromBest(params: TrialParams, epoch: number): number {
  const lr = params.learning_rate as number;
  return Math.pow(Math.log10(lr) - Math.log10(0.003), 2) + 1 / epoch;
}

export interface SyntheticCall {
  trial: number;
  /** The first epoch this call trained (after its checkpoint) and the last. */
  from: number;
  to: number;
  resume: boolean;
}

/**
 * A TrialRunner without training: each epoch reports `val_loss = objective(params, epoch)` and
 * writes a checkpoint file in the trial's folder, which a resumed job continues from, as trainModel does.
 */
export function syntheticRunner(
  objective: (params: TrialParams, epoch: number) => number = distanceFromBest,
  hooks: { beforeEpoch?(job: TrialJob, epoch: number): void | Promise<void> } = {},
): { runner: TrialRunner; calls: SyntheticCall[]; concurrency: { now: number; max: number } } {
  const calls: SyntheticCall[] = [];
  const concurrency = { now: 0, max: 0 };
  const runner: TrialRunner = async (job) => {
    concurrency.now++;
    concurrency.max = Math.max(concurrency.max, concurrency.now);
    try {
      const checkpoint = path.join(job.checkpointDir, 'checkpoint.json');
      const last = job.resume
        ? await fs.readFile(checkpoint, 'utf8').then(
            (t) => (JSON.parse(t) as { epoch: number }).epoch,
            () => 0,
          )
        : 0;
      const call: SyntheticCall = { trial: job.trial, from: last + 1, to: last, resume: job.resume };
      calls.push(call);
      for (let epoch = last + 1; epoch <= job.epochs; epoch++) {
        await hooks.beforeEpoch?.(job, epoch);
        if (job.signal.aborted) throw job.signal.reason;
        await new Promise((resolve) => setImmediate(resolve));
        job.onMetrics([
          { key: 'loss', value: 1, step: epoch },
          { key: 'val_loss', value: objective(job.params, epoch), step: epoch },
        ]);
        await fs.writeFile(checkpoint, JSON.stringify({ epoch }));
        call.to = epoch;
      }
      return { epochs: Math.max(last, job.epochs), stoppedEarly: false, backend: 'cpu' };
    } finally {
      concurrency.now--;
    }
  };
  return { runner, calls, concurrency };
}

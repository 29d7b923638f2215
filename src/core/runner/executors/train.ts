import * as path from 'node:path';
import { loadBackend } from '../../model/backend';
import { trainModel } from '../../model/train';
import type { TrainResult } from '../../model/types';
import type { TrainConfig } from '../../pipeline/config';
import type { MetricPoint } from '../../store/types';
import { openTransformedSplit } from '../../transform/dataset';
import { loadTransformGraph } from '../../transform/graph';
import { runTuning } from '../../tune';
import type { Executor } from '../executor';
import { trainParams } from '../params';
import { upstreamArtifact } from './upstream';
import { formatCount } from '../../util/format';

const TRAIN_SPLIT = 'train';
const VALIDATION_SPLIT = 'eval';

/** Metrics a summary line leads with when no early-stopping monitor names one, in this order. */
const HEADLINE = ['val_auc', 'val_accuracy', 'val_rmse', 'val_loss', 'auc', 'accuracy', 'rmse', 'loss'];

/**
 * Trains the model on the transformed training split, validating on the eval split, and publishes
 * the model package. Epoch curves go to tracking live; the result carries the kept model's final
 * metrics. With `tune`, the search runs first (trials are child runs) and its best settings train
 * the final model.
 */
export function trainExecutor(settings: TrainConfig): Executor {
  return {
    async fingerprint() {
      // A tuning run is never reused from the cache: a new run searches anew (KerasTuner's silent
      // reuse of an old search is what users complain about); `--resume` continues one explicitly.
      if (settings.tune) return undefined;
      // The backend that `auto` resolves to changes the weights' rounding, so it is part of the key.
      const { name } = await loadBackend(settings.backend, settings.location);
      return { settings: trainSettings(settings), backend: name };
    },

    async run(ctx) {
      const graph = upstreamArtifact(ctx, 'transform', 'transform_graph');
      const examples = upstreamArtifact(ctx, 'transform', 'transformed_examples');
      const checkpoints = await ctx.checkpointDir();
      let config = settings;
      const tuned: Record<string, string> = {};
      if (settings.tune) {
        const outcome = await runTuning({
          train: settings,
          transformGraph: graph.uri,
          transformedExamples: examples.uri,
          checkpointDir: path.join(checkpoints, 'tuning'),
          resume: ctx.resume,
          signal: ctx.signal,
          tracking: ctx.tracking,
          progress: (message, fraction) => ctx.progress(message, fraction),
          log: (line) => ctx.log(line),
        });
        config = outcome.bestConfig;
        tuned['tune.best_trial'] = String(outcome.best.trial);
        tuned['tune.best_run'] = String(outcome.best.runId);
        tuned['tune.trials'] = String(outcome.trials.length);
        for (const [key, value] of Object.entries(outcome.best.params)) tuned[`tune.best.${key}`] = JSON.stringify(value);
        ctx.log(`best trial ${outcome.best.trial} (run #${outcome.best.runId}): ${describeParams(outcome.best.params)}; training the final model with it`);
      }
      const transform = await loadTransformGraph(graph.uri);
      const train = await openTransformedSplit(examples.uri, TRAIN_SPLIT);
      const splits = (examples.properties.splits ?? {}) as Record<string, unknown>;
      const validation = VALIDATION_SPLIT in splits ? await openTransformedSplit(examples.uri, VALIDATION_SPLIT) : undefined;
      if (!validation) ctx.log('no eval split: training without validation metrics');
      const outDir = await ctx.outputDir('model');
      const result = await trainModel({
        config,
        transform,
        train,
        validation,
        checkpointDir: settings.tune ? path.join(checkpoints, 'final') : checkpoints,
        resume: ctx.resume,
        outputDir: outDir,
        signal: ctx.signal,
        onBackend: (backend) => ctx.tracking.setBackend(backend),
        onMetrics: (points) => ctx.tracking.logMetrics(points),
        progress: (message, fraction) => ctx.progress(message, fraction),
        log: (line) => ctx.log(line),
      });
      const task = transform.label?.task;
      return {
        outputs: [
          {
            name: 'model',
            type: 'Model',
            path: outDir,
            managed: true,
            properties: {
              backend: result.backend,
              weightsHash: result.weightsHash,
              task,
              modelType: config.model.type,
              epochs: result.epochs,
              bestEpoch: result.bestEpoch,
              metrics: result.metrics,
            },
          },
        ],
        metrics: finalMetrics(result),
        params: { ...trainParams(config, ''), ...tuned },
        summary: describe(config, result),
      };
    },
  };
}

function describeParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

/** Everything that shapes the model; the location is left out so moving a line reuses the cache. */
function trainSettings(config: TrainConfig) {
  const { location: _location, tune: _tune, ...settings } = config;
  return settings;
}

/** The kept model's metrics (`final.val_auc`, ...): the live per-epoch curves are already tracked. */
function finalMetrics(result: TrainResult): MetricPoint[] {
  const now = Date.now();
  return [
    ...Object.entries(result.metrics).map(([key, value]) => ({ key: `final.${key}`, value, timestamp: now })),
    { key: 'examples_per_second', value: result.examplesPerSecond, timestamp: now },
    { key: 'best_epoch', value: result.bestEpoch, timestamp: now },
  ];
}

/** "dnn · 12 epochs (best 9) · val_auc 0.961 · 41,000 examples/s · wasm". */
function describe(config: TrainConfig, result: TrainResult): string {
  const epochs = `${result.epochs} epoch${result.epochs === 1 ? '' : 's'}${result.bestEpoch !== result.epochs ? ` (best ${result.bestEpoch})` : ''}`;
  const headline = [config.earlyStopping?.monitor, ...HEADLINE].find((m): m is string => m !== undefined && m in result.metrics);
  const parts = [config.model.type, epochs];
  if (headline) parts.push(`${headline} ${result.metrics[headline].toPrecision(3)}`);
  if (result.examplesPerSecond > 0) parts.push(`${formatCount(Math.round(result.examplesPerSecond))} examples/s`);
  if (result.resumedFromEpoch) parts.push(`resumed after epoch ${result.resumedFromEpoch}`);
  parts.push(result.backend);
  return parts.join(' · ');
}

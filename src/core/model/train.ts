import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { MetricPoint } from '../store/types';
import type { TransformedBatch, TransformedSplit } from '../transform/types';
import { UserError } from '../util/problems';
import { loadBackend, type Tf } from './backend';
import { buildModel, type BuiltModel } from './build';
import { readCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint';
import { setDropoutStep } from './dropout';
import { initialEarlyStopping, observeEpoch } from './earlyStopping';
import { EpochMetrics } from './epochMetrics';
import { batchInputs, inputPlan, type InputPlan } from './inputs';
import { batchLoss, exampleLosses, l2Penalty, labelTensor } from './losses';
import { createOptimizer, type Optimizer } from './optimizers';
import { writeModelPackage } from './package';
import { classWeights, trainingSetup, type TrainingSetup } from './setup';
import type { BackendName, TrainRequest, TrainResult } from './types';
import { hashWeights, setWeightBytes, weightBytes } from './weights';

/** Where the training stands after an epoch: what a checkpoint holds besides the binaries. */
type Progress = Checkpoint['state'];

/**
 * Trains a model on the transformed training split, streaming it batch by batch each epoch in a
 * seeded shuffled order, validates on the validation split after each epoch, checkpoints every
 * epoch, and writes the model package into `req.outputDir`.
 */
export async function trainModel(req: TrainRequest): Promise<TrainResult> {
  const { config } = req;
  const { tf, name: backend } = await loadBackend(config.backend, config.location);
  req.onBackend(backend);
  const setup = trainingSetup(config, req.transform, req.validation !== undefined);
  for (const split of [req.train, req.validation]) if (split) requireLayout(split, req);
  const weights = await classWeights(config, setup, req.train);
  const plan = inputPlan(req.transform.layout);
  const built = buildModel(tf, plan, { model: config.model, task: setup.task, units: setup.units, seed: config.seed });
  const variables = built.logits.trainableWeights.map((w) => w.read() as Variable);
  const optimizer = createOptimizer(tf, config.optimizer, config.learningRate, variables);
  const trainer = new Trainer(tf, req, setup, plan, built, variables, optimizer, weights);
  try {
    const progress = await trainer.start(backend);
    const resumedFromEpoch = progress.epoch > 0 ? progress.epoch : undefined;
    await trainer.run(progress);
    const bestEpoch = trainer.keepBest(progress);
    const bytes = weightBytes(built.model);
    const weightsHash = hashWeights(bytes);
    await writeModelPackage(tf, built.model, req.outputDir, {
      transform: req.transform,
      task: setup.task,
      modelType: config.model.type,
      backend,
      weightsHash,
    });
    return {
      backend,
      epochs: progress.epoch,
      bestEpoch,
      metrics: progress.history[bestEpoch - 1] ?? {},
      weightsHash,
      examplesPerSecond: progress.trainSeconds > 0 ? progress.trainedExamples / progress.trainSeconds : 0,
      stoppedEarly: progress.stopped,
      resumedFromEpoch,
    };
  } finally {
    optimizer.dispose();
    built.dispose();
  }
}

function requireLayout(split: TransformedSplit, req: TrainRequest): void {
  if (JSON.stringify(split.layout) !== JSON.stringify(req.transform.layout)) {
    throw UserError.at(
      'the transformed examples do not match the transform graph (their feature layouts differ)',
      req.config.location,
      'run the transform again so both come from the same fit',
    );
  }
}

/** The state and steps of one training; `trainModel` drives it. */
class Trainer {
  private readonly penalised: Variable[];
  private readonly key: string;
  private best?: Uint8Array;

  constructor(
    private readonly tf: Tf,
    private readonly req: TrainRequest,
    private readonly setup: TrainingSetup,
    private readonly plan: InputPlan,
    private readonly built: BuiltModel,
    private readonly variables: Variable[],
    private readonly optimizer: Optimizer,
    private readonly classWeights: Float32Array | undefined,
  ) {
    this.penalised = built.logits.trainableWeights.filter((w) => built.penalised.has(w.originalName)).map((w) => w.read() as Variable);
    this.key = checkpointKey(req);
  }

  /** A fresh start, or the state of the last checkpoint when resuming one of these same settings. */
  async start(backend: BackendName): Promise<Progress> {
    const fresh: Progress = {
      key: this.key,
      backend,
      epoch: 0,
      optimizerStep: 0,
      earlyStopping: this.req.config.earlyStopping ? initialEarlyStopping() : null,
      stopped: false,
      history: [],
      trainedExamples: 0,
      trainSeconds: 0,
    };
    if (!this.req.resume) return fresh;
    const checkpoint = await readCheckpoint(this.req.checkpointDir);
    if (!checkpoint) return fresh;
    if (checkpoint.state.key !== this.key) {
      this.req.log(`the checkpoint in ${this.req.checkpointDir} was made with other training settings: training from the first epoch`);
      return fresh;
    }
    if (checkpoint.state.backend !== backend) {
      this.req.log(
        `resuming a checkpoint trained on ${checkpoint.state.backend} with ${backend}: the weights will not be bit-identical to an uninterrupted run`,
      );
    }
    setWeightBytes(this.tf, this.built.model, checkpoint.weights);
    this.optimizer.restore(checkpoint.state.optimizerStep, checkpoint.optimizer);
    this.best = checkpoint.best;
    this.req.log(`resuming after epoch ${checkpoint.state.epoch} from ${this.req.checkpointDir}`);
    return { ...checkpoint.state, backend };
  }

  async run(progress: Progress): Promise<void> {
    const { config } = this.req;
    while (progress.epoch < config.epochs && !progress.stopped) {
      const epoch = progress.epoch + 1;
      const started = performance.now();
      const train = await this.trainEpoch(epoch);
      progress.trainSeconds += (performance.now() - started) / 1000;
      progress.trainedExamples += train.examples;
      const metrics = { ...train.metrics, ...(this.req.validation ? prefixed('val_', await this.evaluate(this.req.validation)) : {}) };
      progress.history.push(metrics);
      progress.epoch = epoch;
      progress.optimizerStep = this.optimizer.step;
      if (config.earlyStopping && progress.earlyStopping) {
        const verdict = observeEpoch(config.earlyStopping, progress.earlyStopping, epoch, metrics[config.earlyStopping.monitor]);
        progress.earlyStopping = verdict.state;
        progress.stopped = verdict.stop;
        if (verdict.improved && config.earlyStopping.restoreBest) this.best = weightBytes(this.built.model);
      }
      await writeCheckpoint(this.req.checkpointDir, {
        state: progress,
        weights: weightBytes(this.built.model),
        optimizer: this.optimizer.slotBytes(),
        best: this.best,
      });
      const now = Date.now();
      this.req.onMetrics(Object.entries(metrics).map(([key, value]): MetricPoint => ({ key, value, step: epoch, timestamp: now })));
      this.req.log(
        `epoch ${epoch}/${config.epochs} · ${describeMetrics(metrics)}${progress.stopped ? ` · early stopping (best epoch ${progress.earlyStopping!.bestEpoch})` : ''}`,
      );
    }
  }

  /** Restores the best epoch's weights when early stopping keeps them; returns the kept epoch. */
  keepBest(progress: Progress): number {
    const es = this.req.config.earlyStopping;
    if (es?.restoreBest && this.best && progress.earlyStopping && progress.earlyStopping.bestEpoch > 0) {
      setWeightBytes(this.tf, this.built.model, this.best);
      return progress.earlyStopping.bestEpoch;
    }
    return progress.epoch;
  }

  private async trainEpoch(epoch: number): Promise<{ metrics: Record<string, number>; examples: number }> {
    const { config, signal } = this.req;
    const metrics = new EpochMetrics(this.setup.task, this.setup.units, this.setup.metrics, false);
    const batchesPerEpoch = Math.ceil(this.req.train.rows / config.batchSize);
    let batchIndex = 0;
    let examples = 0;
    let reported = 0;
    for await (const batch of this.req.train.batches({ batchSize: config.batchSize, shuffle: { seed: config.seed, epoch } })) {
      if (signal.aborted) throw signal.reason;
      batchIndex++;
      const { loss, outputs } = this.step(batch);
      if (!Number.isFinite(loss)) throw this.divergence(loss, epoch, batchIndex);
      metrics.add({ size: batch.size, labels: batch.label, outputs: outputs!, loss });
      examples += batch.size;
      const step = this.optimizer.step;
      if (config.logEveryBatches > 0 && step % config.logEveryBatches === 0) {
        this.req.onMetrics([{ key: 'batch_loss', value: loss, step, timestamp: Date.now() }]);
      }
      const done = (epoch - 1 + batchIndex / batchesPerEpoch) / config.epochs;
      if (done - reported >= 0.005 || batchIndex === batchesPerEpoch) {
        reported = done;
        this.req.progress(`epoch ${epoch}/${config.epochs} · batch ${batchIndex}/${batchesPerEpoch}`, done);
      }
    }
    return { metrics: metrics.result(), examples };
  }

  /** One optimisation step; the loss is checked before the update so a diverged batch leaves the weights alone. */
  private step(batch: TransformedBatch): { loss: number; outputs?: Float32Array } {
    const { tf, setup } = this;
    setDropoutStep(this.built.logits, this.optimizer.step + 1);
    return tf.tidy(() => {
      const inputs = batchInputs(tf, this.plan, batch);
      const labels = labelTensor(tf, setup.task, batch);
      const weights = this.classWeights && tf.tensor1d(Float32Array.from(batch.label, (l) => this.classWeights![l]));
      let outputs: Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.built.logits.apply(inputs, { training: true }) as Tensor;
        // Everything made inside is freed when the gradients are done; the metrics need the outputs.
        outputs = tf.keep(predictions(tf, setup, logits));
        const penalty = l2Penalty(tf, this.req.config.l2, this.penalised);
        return batchLoss(tf, exampleLosses(tf, setup.task, labels, logits, setup.units), weights, penalty);
      }, this.variables);
      const values = outputs!.dataSync() as Float32Array;
      outputs!.dispose();
      const loss = value.dataSync()[0];
      if (!Number.isFinite(loss)) return { loss };
      this.optimizer.apply(this.variables.map((v) => grads[v.name]));
      return { loss, outputs: values };
    });
  }

  /** Loss and metrics of the current weights over a split (no dropout, batch-norm statistics fixed). */
  private async evaluate(split: TransformedSplit): Promise<Record<string, number>> {
    const { tf, setup } = this;
    const { config, signal } = this.req;
    const metrics = new EpochMetrics(setup.task, setup.units, setup.metrics, true);
    const penalty = config.l2 > 0 ? tf.tidy(() => l2Penalty(tf, config.l2, this.penalised)!.dataSync()[0]) : 0;
    for await (const batch of split.batches({ batchSize: config.batchSize })) {
      if (signal.aborted) throw signal.reason;
      const { loss, outputs } = tf.tidy(() => {
        const logits = this.built.logits.apply(batchInputs(tf, this.plan, batch), { training: false }) as Tensor;
        const losses = exampleLosses(tf, setup.task, labelTensor(tf, setup.task, batch), logits, setup.units);
        // Keras adds the regularisation penalty to val_loss too; class weights shape only the training loss.
        return { loss: tf.mean(losses).dataSync()[0] + penalty, outputs: predictions(tf, setup, logits).dataSync() as Float32Array };
      });
      metrics.add({ size: batch.size, labels: batch.label, outputs, loss });
    }
    return metrics.result();
  }

  private divergence(loss: number, epoch: number, batch: number): UserError {
    const { config, checkpointDir } = this.req;
    const kept = epoch > 1 ? `the checkpoint of epoch ${epoch - 1} is kept in ${checkpointDir}` : 'no epoch had completed, so there is no checkpoint';
    return UserError.at(
      `the training loss became ${loss} at epoch ${epoch}, batch ${batch}: the model diverged`,
      { ...config.location, field: 'train.learning_rate' },
      `lower the learning rate (now ${config.learningRate}), e.g. to ${config.learningRate / 10}; ${kept}`,
    );
  }
}

/** What the model outputs after its activation: P(positive), class probabilities or values. */
function predictions(tf: Tf, setup: TrainingSetup, logits: Tensor): Tensor {
  return setup.task === 'binary' ? tf.sigmoid(logits) : setup.task === 'multiclass' ? tf.softmax(logits) : logits;
}

/**
 * The settings a checkpoint's training depends on. `epochs` is left out so a finished training can
 * be resumed to more epochs; the backend is checked separately (it changes rounding, not meaning).
 */
function checkpointKey(req: TrainRequest): string {
  const { location: _location, tune: _tune, epochs: _epochs, backend: _backend, logEveryBatches: _log, ...settings } = req.config;
  const text = JSON.stringify({ settings, transform: req.transform, rows: req.train.rows, validationRows: req.validation?.rows ?? 0 });
  return createHash('sha256').update(text).digest('hex');
}

function prefixed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [prefix + k, v]));
}

function describeMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toPrecision(4) : v}`)
    .join(' · ');
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadBackend } from '../../../src/core/model/backend';
import { readCheckpoint } from '../../../src/core/model/checkpoint';
import { trainModel } from '../../../src/core/model/train';
import type { TransformedSplit } from '../../../src/core/transform/types';
import { isUserError } from '../../../src/core/util/problems';
import { epochMetrics, syntheticSplits, trainConfig, trainRequest } from './fixtures';

describe('trainModel', () => {
  it('learns a learnable binary problem and reports Keras-named metrics per epoch', async () => {
    const data = syntheticSplits('binary');
    const config = trainConfig({ epochs: 8, logEveryBatches: 5 });
    const { request, recorded } = trainRequest(config, data);
    const result = await trainModel(request);

    assert.equal(recorded.backend, 'wasm');
    assert.equal(result.epochs, 8);
    assert.equal(result.bestEpoch, 8);
    assert.ok(result.metrics.val_accuracy > 0.9, `val_accuracy ${result.metrics.val_accuracy}`);
    assert.ok(result.metrics.val_auc > 0.95, `val_auc ${result.metrics.val_auc}`);
    const names = ['loss', 'auc', 'accuracy', 'precision', 'recall'];
    assert.deepEqual(Object.keys(epochMetrics(recorded, 1)), [...names, ...names.map((n) => `val_${n}`)]);
    assert.ok(epochMetrics(recorded, 8).loss < epochMetrics(recorded, 1).loss);
    // 300 rows in batches of 32: 10 batches an epoch, batch_loss every 5th global batch.
    assert.deepEqual(
      recorded.metrics.filter((m) => m.key === 'batch_loss').map((m) => m.step),
      Array.from({ length: 16 }, (_, i) => (i + 1) * 5),
    );
    assert.ok(result.examplesPerSecond > 0);
    assert.match(result.weightsHash, /^[0-9a-f]{64}$/);
  });

  it('learns multiclass and regression labels with their metrics', async () => {
    const multi = await trainModel(trainRequest(trainConfig({ epochs: 8 }), syntheticSplits('multiclass')).request);
    assert.deepEqual(Object.keys(multi.metrics), ['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    assert.ok(multi.metrics.val_accuracy > 0.8, `val_accuracy ${multi.metrics.val_accuracy}`);

    const { request, recorded } = trainRequest(
      trainConfig({ epochs: 8, model: { type: 'linear', hidden: [], activation: 'relu', dropout: 0, batchNorm: false } }),
      syntheticSplits('regression'),
    );
    const regression = await trainModel(request);
    assert.deepEqual(Object.keys(regression.metrics), ['loss', 'mae', 'rmse', 'val_loss', 'val_mae', 'val_rmse']);
    assert.ok(regression.metrics.val_rmse < epochMetrics(recorded, 1).val_rmse);
    assert.ok(regression.metrics.val_rmse < 1, `val_rmse ${regression.metrics.val_rmse}`);
  });

  it('is reproducible: the same seed gives bit-identical weights, another seed other weights', async () => {
    const data = syntheticSplits('binary');
    // Dropout, batch norm, L2 and class weights all take part.
    const config = trainConfig({
      model: { type: 'wide_deep', hidden: [16, 8], activation: 'relu', dropout: 0.3, batchNorm: true },
      l2: 0.001,
      classWeights: 'balanced',
      epochs: 2,
    });
    const first = await trainModel(trainRequest(config, data).request);
    const second = await trainModel(trainRequest(config, data).request);
    const reseeded = await trainModel(trainRequest({ ...config, seed: 8 }, data).request);
    assert.equal(first.weightsHash, second.weightsHash);
    assert.deepEqual(first.metrics, second.metrics);
    assert.notEqual(first.weightsHash, reseeded.weightsHash);
  });

  it('is reproducible on the plain JavaScript backend too', async () => {
    const data = syntheticSplits('binary', { train: 96, eval: 32 });
    const config = trainConfig({ backend: 'cpu', epochs: 2, model: { type: 'dnn', hidden: [8], activation: 'relu', dropout: 0.3, batchNorm: true } });
    const first = trainRequest(config, data);
    const a = await trainModel(first.request);
    const b = await trainModel(trainRequest(config, data).request);
    assert.equal(first.recorded.backend, 'cpu');
    assert.equal(a.weightsHash, b.weightsHash);
  });

  it('a training killed after epoch 2 and resumed ends bit-identical to an uninterrupted one', async () => {
    const data = syntheticSplits('binary');
    const config = trainConfig({
      model: { type: 'dnn', hidden: [16, 8], activation: 'relu', dropout: 0.25, batchNorm: true },
      optimizer: 'adam',
      epochs: 3,
      earlyStopping: { monitor: 'val_auc', patience: 5, mode: 'max', minDelta: 0, restoreBest: true },
    });
    const uninterrupted = await trainModel(trainRequest(config, data).request);

    const abort = new AbortController();
    const killed = trainRequest(config, data, { signal: abort.signal });
    killed.request.onMetrics = (points) => {
      if (points.some((p) => p.key === 'loss' && p.step === 2)) abort.abort(new Error('killed'));
    };
    await assert.rejects(trainModel(killed.request), /killed/);
    assert.equal((await readCheckpoint(killed.request.checkpointDir))?.state.epoch, 2);

    const { request, recorded } = trainRequest(config, data, { checkpointDir: killed.request.checkpointDir, resume: true });
    const resumed = await trainModel(request);
    assert.equal(resumed.resumedFromEpoch, 2);
    assert.deepEqual(
      recorded.metrics.map((m) => m.step).filter((s, i, all) => all.indexOf(s) === i),
      [3],
    );
    assert.equal(resumed.weightsHash, uninterrupted.weightsHash);
    assert.deepEqual(resumed.metrics, uninterrupted.metrics);
    assert.equal(resumed.bestEpoch, uninterrupted.bestEpoch);
  });

  it('every optimiser resumes bit-identically', async () => {
    const data = syntheticSplits('binary', { train: 96, eval: 32 });
    for (const optimizer of ['sgd', 'momentum', 'rmsprop', 'adagrad'] as const) {
      const config = trainConfig({ optimizer, epochs: 2, learningRate: 0.05 });
      const straight = await trainModel(trainRequest(config, data).request);
      const firstEpoch = trainRequest({ ...config, epochs: 1 }, data);
      await trainModel(firstEpoch.request);
      // `epochs` is not part of the checkpoint's key: a finished training can be resumed to more epochs.
      const rest = await trainModel(trainRequest(config, data, { checkpointDir: firstEpoch.request.checkpointDir, resume: true }).request);
      assert.equal(rest.resumedFromEpoch, 1, optimizer);
      assert.equal(rest.weightsHash, straight.weightsHash, optimizer);
    }
  });

  it('does not resume a checkpoint made with other settings', async () => {
    const data = syntheticSplits('binary', { train: 64, eval: 32 });
    const earlier = trainRequest(trainConfig({ epochs: 1 }), data);
    await trainModel(earlier.request);
    const { request, recorded } = trainRequest(trainConfig({ epochs: 1, learningRate: 0.05 }), data, {
      checkpointDir: earlier.request.checkpointDir,
      resume: true,
    });
    const result = await trainModel(request);
    assert.equal(result.resumedFromEpoch, undefined);
    assert.ok(recorded.lines.some((l) => l.includes('other training settings')));
  });

  it("stops early and restores the best epoch's weights", async () => {
    const data = syntheticSplits('binary');
    // No later epoch can beat the first by 10: the first stays best, patience 2 stops after epoch 3.
    const earlyStopping = { monitor: 'val_loss', patience: 2, mode: 'min' as const, minDelta: 10, restoreBest: true };
    const result = await trainModel(trainRequest(trainConfig({ epochs: 10, earlyStopping }), data).request);
    assert.equal(result.stoppedEarly, true);
    assert.equal(result.epochs, 3);
    assert.equal(result.bestEpoch, 1);
    const oneEpoch = await trainModel(trainRequest(trainConfig({ epochs: 1, earlyStopping }), data).request);
    assert.equal(result.weightsHash, oneEpoch.weightsHash);
    assert.deepEqual(result.metrics, oneEpoch.metrics);
  });

  it('a diverging loss is a UserError naming the epoch and batch, and the last good checkpoint stays', async () => {
    const data = syntheticSplits('binary', { train: 96, eval: 32 });
    // A NaN label in epoch 2 makes its first batch's loss NaN, as a diverged model would.
    const poisoned: TransformedSplit = {
      rows: data.train.rows,
      layout: data.train.layout,
      async *batches(options) {
        for await (const batch of data.train.batches(options)) {
          if (options.shuffle?.epoch === 2) batch.label[0] = NaN;
          yield batch;
        }
      },
    };
    const { request } = trainRequest(trainConfig({ epochs: 3 }), { ...data, train: poisoned });
    await assert.rejects(trainModel(request), (e: unknown) => {
      assert.ok(isUserError(e));
      assert.match(e.message, /at epoch 2, batch 1/);
      assert.match(e.message, /train\.learning_rate/);
      assert.match(e.message, /lower the learning rate/);
      assert.match(e.message, /checkpoint of epoch 1 is kept/);
      return true;
    });
    assert.equal((await readCheckpoint(request.checkpointDir))?.state.epoch, 1);
  });

  it('a learning rate far too high stops at the first non-finite loss', async () => {
    const data = syntheticSplits('binary', { train: 96, eval: 32 });
    const { request } = trainRequest(trainConfig({ optimizer: 'sgd', learningRate: 1e30, epochs: 2 }), data);
    await assert.rejects(trainModel(request), /the training loss became (NaN|Infinity) at epoch 1, batch \d/);
  });

  it('keeps the number of tensors flat across epochs and frees them all at the end', async () => {
    const { tf } = await loadBackend('wasm');
    const data = syntheticSplits('binary', { train: 128, eval: 32 });
    const before = tf.memory().numTensors;
    const perEpoch: number[] = [];
    const { request } = trainRequest(
      trainConfig({ epochs: 4, model: { type: 'wide_deep', hidden: [8], activation: 'relu', dropout: 0.2, batchNorm: true } }),
      data,
      {
        onMetrics: (points) => {
          if (points.some((p) => p.key === 'loss')) perEpoch.push(tf.memory().numTensors);
        },
      },
    );
    await trainModel(request);
    assert.equal(new Set(perEpoch).size, 1, `tensors per epoch: ${perEpoch.join(', ')}`);
    assert.equal(tf.memory().numTensors, before);
  });

  it('explains settings that cannot work', async () => {
    const data = syntheticSplits('binary', { train: 32, eval: 32 });
    const fails = async (config: Parameters<typeof trainConfig>[0], pattern: RegExp, withValidation = true) => {
      const { request } = trainRequest(trainConfig(config), withValidation ? data : { transform: data.transform, train: data.train });
      await assert.rejects(trainModel(request), (e: unknown) => isUserError(e) && pattern.test(e.message));
    };
    await fails(
      { earlyStopping: { monitor: 'val_auc', patience: 1, mode: 'max', minDelta: 0, restoreBest: true } },
      /monitor 'val_auc'.*no validation data/,
      false,
    );
    await fails({ earlyStopping: { monitor: 'val_acc', patience: 1, mode: 'max', minDelta: 0, restoreBest: true } }, /did you mean 'val_auc'/);
    await fails({ metrics: ['rmse'] }, /metric 'rmse' is not available for binary models/);
    await fails({ classWeights: { maybe: 2 } }, /class_weights names 'maybe'.*\n.*classes: no, yes/);
    const regression = syntheticSplits('regression', { train: 32, eval: 32 });
    const { request } = trainRequest(trainConfig({ classWeights: 'balanced' }), regression);
    await assert.rejects(trainModel(request), /class_weights apply to classifiers/);
  });
});

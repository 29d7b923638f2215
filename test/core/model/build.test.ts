import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { loadBackend } from '../../../src/core/model/backend';
import { buildModel } from '../../../src/core/model/build';
import { seededDropout } from '../../../src/core/model/dropout';
import { batchInputs, inputPlan } from '../../../src/core/model/inputs';
import type { ModelType, TaskType } from '../../../src/core/pipeline/config';
import type { FeatureLayout, TransformedBatch } from '../../../src/core/transform/types';
import { syntheticTransform } from './fixtures';

const layout = syntheticTransform().layout;
const batch: TransformedBatch = {
  size: 3,
  numeric: Float32Array.of(0.5, -1, 2, 0, -0.25, 1),
  // color (one-hot, 4 ids), city (embedding, 32 ids); -1 = no id.
  categorical: Int32Array.of(2, 31, -1, 0, 3, -1),
  label: Float32Array.of(1, 0, 1),
};

describe('model inputs', () => {
  it('expands one-hot slots into a dense block (no id → zeros) and maps "no id" to an embedding slot\'s extra row', async () => {
    const { tf } = await loadBackend('wasm');
    const plan = inputPlan(layout);
    assert.deepEqual(plan.names, ['numeric', 'onehot', 'id_1_city']);
    const [numeric, onehot, city] = batchInputs(tf, plan, batch);
    assert.deepEqual(numeric.shape, [3, 2]);
    assert.deepEqual(Array.from(onehot.dataSync()), [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.deepEqual(Array.from(city.dataSync()), [31, 0, 32]);
    tf.dispose([numeric, onehot, city]);
  });

  it('leaves out inputs the layout does not have', () => {
    const numericOnly: FeatureLayout = { numeric: [{ name: 'a' }], categorical: [] };
    assert.deepEqual(inputPlan(numericOnly).names, ['numeric']);
    const embeddingsOnly: FeatureLayout = { numeric: [], categorical: [{ name: 'a b', size: 50, encoding: 'embedding', embeddingDim: 4 }] };
    assert.deepEqual(inputPlan(embeddingsOnly).names, ['id_0_a_b']);
  });
});

describe('model builders', () => {
  const units: Record<TaskType, number> = { binary: 1, multiclass: 3, regression: 1 };
  for (const type of ['linear', 'dnn', 'wide_deep'] as ModelType[]) {
    for (const task of ['binary', 'multiclass', 'regression'] as TaskType[]) {
      it(`${type} for ${task}: inputs from the layout, ${units[task]} output unit(s)`, async () => {
        const { tf } = await loadBackend('wasm');
        const plan = inputPlan(layout);
        const config = { type, hidden: [8, 4], activation: 'relu' as const, dropout: 0.2, batchNorm: true };
        const built = buildModel(tf, plan, { model: config, task, units: units[task], seed: 7 });
        try {
          assert.deepEqual(built.model.inputNames, plan.names);
          assert.deepEqual(built.model.outputs[0].shape, [null, units[task]]);
          const out = tf.tidy(() => Array.from((built.model.predict(batchInputs(tf, plan, batch)) as Tensor).dataSync()));
          assert.equal(out.length, 3 * units[task]);
          if (task === 'binary') assert.ok(out.every((p) => p > 0 && p < 1));
          if (task === 'multiclass') for (let r = 0; r < 3; r++) assert.ok(Math.abs(out[r * 3] + out[r * 3 + 1] + out[r * 3 + 2] - 1) < 1e-5);
          const layers = built.model.layers.map((l) => l.name);
          const deep = type !== 'linear';
          assert.equal(layers.includes('hidden_2') && layers.includes('batch_norm_1') && layers.includes('dropout_1'), deep);
          assert.equal(layers.includes('wide_1_city'), type !== 'dnn');
          assert.equal(layers.includes('embedding_1_city'), deep);
          // Kernels and embeddings are penalised, biases are not.
          assert.ok([...built.penalised].every((name) => /\/(kernel|embeddings)$/.test(name)));
        } finally {
          built.dispose();
        }
      });
    }
  }

  it('the same seed builds the same initial weights; another seed other ones', async () => {
    const { tf } = await loadBackend('wasm');
    const plan = inputPlan(layout);
    const weightsOf = (seed: number) => {
      const built = buildModel(tf, plan, {
        model: { type: 'wide_deep', hidden: [8], activation: 'relu', dropout: 0, batchNorm: false },
        task: 'binary',
        units: 1,
        seed,
      });
      const values = built.model.getWeights().flatMap((w) => Array.from(w.dataSync()));
      built.dispose();
      return values;
    };
    assert.deepEqual(weightsOf(7), weightsOf(7));
    assert.notDeepEqual(weightsOf(7), weightsOf(8));
  });
});

describe('seeded dropout', () => {
  it('draws a new mask each step, the same mask for the same step, and is the identity at inference', async () => {
    const { tf } = await loadBackend('wasm');
    const layer = seededDropout(tf, { rate: 0.5, seed: 3, name: 'dropout_test' });
    const ones = tf.ones([4, 16]);
    const mask = (step: number) => {
      layer.step = step;
      return tf.tidy(() => Array.from((layer.apply(ones, { training: true }) as Tensor).dataSync()));
    };
    assert.deepEqual(mask(1), mask(1));
    assert.notDeepEqual(mask(1), mask(2));
    assert.ok(mask(1).every((v) => v === 0 || v === 2));
    assert.deepEqual(Array.from((layer.apply(ones) as Tensor).dataSync()), Array(64).fill(1));
    assert.equal(layer.getClassName(), 'Dropout');
    ones.dispose();
  });
});

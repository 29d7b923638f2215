import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import { loadBackend } from '../../../src/core/model/backend';
import { buildModel } from '../../../src/core/model/build';
import { batchInputs, inputPlan } from '../../../src/core/model/inputs';
import { loadModel, MANIFEST_FILE, writeModelPackage } from '../../../src/core/model/package';
import { trainModel } from '../../../src/core/model/train';
import { MODEL_PACKAGE_FORMAT } from '../../../src/core/model/types';
import { hashWeights, weightBytes } from '../../../src/core/model/weights';
import type { TaskType } from '../../../src/core/pipeline/config';
import { transformRows } from '../../../src/core/transform/row';
import { digestPath } from '../../../src/core/util/hash';
import { isUserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';
import { syntheticRows, syntheticSplits, syntheticTransform, trainConfig, trainRequest } from './fixtures';

/** A freshly built model saved as a package, with its in-memory predictions for `rows`. */
async function savedModel(task: TaskType) {
  const { tf } = await loadBackend('wasm');
  const transform = syntheticTransform(task);
  const plan = inputPlan(transform.layout);
  const units = task === 'multiclass' ? 3 : 1;
  const built = buildModel(tf, plan, { model: { type: 'wide_deep', hidden: [8], activation: 'tanh', dropout: 0.1, batchNorm: true }, task, units, seed: 3 });
  // More rows than tfjs predict's 32-row loop, whose results the package's single pass must equal bit for bit.
  const rows = syntheticRows(100, 9, task);
  const inMemory = tf.tidy(() => Array.from((built.model.predict(batchInputs(tf, plan, transformRows(transform, rows))) as Tensor).dataSync()));
  const dir = path.join(tempDir(), 'model');
  const weightsHash = hashWeights(weightBytes(built.model));
  await writeModelPackage(tf, built.model, dir, { transform, task, modelType: 'wide_deep', backend: 'wasm', weightsHash });
  built.dispose();
  return { dir, rows, inMemory, weightsHash };
}

describe('model package', () => {
  it('loadModel predicts raw rows exactly as the in-memory model (binary)', async () => {
    const { dir, rows, inMemory, weightsHash } = await savedModel('binary');
    assert.deepEqual((await fs.readdir(dir)).sort(), [MANIFEST_FILE, 'model.json', 'transform.json', 'weights.bin']);
    assert.equal(
      createHash('sha256')
        .update(await fs.readFile(path.join(dir, 'weights.bin')))
        .digest('hex'),
      weightsHash,
    );
    const model = await loadModel(dir, { backend: 'wasm' });
    try {
      assert.equal(model.manifest.format, MODEL_PACKAGE_FORMAT);
      assert.deepEqual(model.manifest.signature.classes, ['no', 'yes']);
      assert.deepEqual(
        model.manifest.signature.inputs.map((i) => i.name),
        ['x1', 'x2', 'color', 'city'],
      );
      const predictions = await model.predict(rows);
      assert.deepEqual(
        predictions.map((p) => p.score),
        inMemory,
      );
      assert.deepEqual(predictions[0].probabilities, [1 - inMemory[0], inMemory[0]]);
      assert.equal(predictions[0].label, inMemory[0] >= 0.5 ? 'yes' : 'no');
    } finally {
      model.dispose();
    }
  });

  it('loadModel predicts class probabilities and labels (multiclass)', async () => {
    const { dir, rows, inMemory } = await savedModel('multiclass');
    const model = await loadModel(dir, { backend: 'wasm' });
    const predictions = await model.predict(rows);
    model.dispose();
    assert.deepEqual(
      predictions.flatMap((p) => p.probabilities),
      inMemory,
    );
    const first = inMemory.slice(0, 3);
    const top = first.indexOf(Math.max(...first));
    assert.deepEqual([predictions[0].label, predictions[0].score], [['a', 'b', 'c'][top], first[top]]);
  });

  it('the same training writes a byte-identical package', async () => {
    const data = syntheticSplits('binary', { train: 96, eval: 32 });
    const config = trainConfig({ epochs: 2, model: { type: 'dnn', hidden: [8], activation: 'relu', dropout: 0.2, batchNorm: false } });
    const first = trainRequest(config, data);
    const second = trainRequest(config, data);
    const result = await trainModel(first.request);
    await trainModel(second.request);
    assert.equal((await digestPath(first.request.outputDir)).hash, (await digestPath(second.request.outputDir)).hash);
    const manifest = JSON.parse(await fs.readFile(path.join(first.request.outputDir, MANIFEST_FILE), 'utf8'));
    assert.equal(manifest.weightsHash, result.weightsHash);
  });

  it('a missing or damaged package file is a UserError naming the file', async () => {
    const expectUserError = async (dir: string, pattern: RegExp) =>
      assert.rejects(loadModel(dir, { backend: 'wasm' }), (e: unknown) => isUserError(e) && pattern.test(e.message));

    const missing = await savedModel('binary');
    await fs.rm(path.join(missing.dir, 'model.json'));
    await expectUserError(missing.dir, /model\.json.*no model\.json/);

    const corrupt = await savedModel('binary');
    await fs.writeFile(path.join(corrupt.dir, MANIFEST_FILE), '{ "format": ');
    await expectUserError(corrupt.dir, /mlops-model\.json.*not valid JSON/);

    const truncated = await savedModel('binary');
    const weights = path.join(truncated.dir, 'weights.bin');
    await fs.writeFile(weights, (await fs.readFile(weights)).subarray(0, 100));
    await expectUserError(truncated.dir, /weights\.bin.*the weights have 100 bytes/);

    await expectUserError(path.join(tempDir(), 'nothing'), /no mlops-model\.json/);
  });
});

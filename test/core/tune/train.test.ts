import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TransformedSplitWriter } from '../../../src/core/transform/dataset';
import { writeTransformGraph } from '../../../src/core/transform/graph';
import { transformRows } from '../../../src/core/transform/row';
import { runTuning } from '../../../src/core/tune/tune';
import { tempDir } from '../../helpers/tmp';
import { syntheticRows, syntheticTransform } from '../model/fixtures';
import { trainConfig, tuneRequest } from './support';

/** The transform_graph and transformed_examples artifacts of the model tests' synthetic problem, on disk. */
async function artifacts(root: string) {
  const transform = syntheticTransform('binary');
  const transformGraph = path.join(root, 'transform_graph');
  const transformedExamples = path.join(root, 'transformed_examples');
  mkdirSync(transformGraph);
  mkdirSync(transformedExamples);
  await writeTransformGraph(transformGraph, transform);
  for (const [split, rows, seed] of [
    ['train', 300, 1],
    ['eval', 100, 2],
  ] as const) {
    const writer = new TransformedSplitWriter(transformedExamples, split, transform.layout);
    writer.write(transformRows(transform, syntheticRows(rows, seed)));
    writer.finish();
  }
  return { transformGraph, transformedExamples };
}

describe('tuning with trainModel in worker processes', () => {
  it('trains every trial in a worker, continues promoted trials from their checkpoints and returns the best settings', async () => {
    const root = tempDir();
    const train = trainConfig(
      { strategy: 'hyperband', maxEpochs: 3, eta: 3, parallel: 2, space: { learning_rate: { kind: 'log', low: 1e-4, high: 5e-2 } } },
      { backend: 'wasm', batchSize: 32, model: { type: 'dnn', hidden: [8], activation: 'relu', dropout: 0, batchNorm: false } },
    );
    const request = tuneRequest(train, path.join(root, 'checkpoints'), await artifacts(root));
    const outcome = await runTuning(request);

    assert.equal(outcome.trials.length, 5);
    assert.ok(
      outcome.trials.every((t) => t.status !== 'failed' && Number.isFinite(t.objective) && t.backend === 'wasm'),
      JSON.stringify(outcome.trials),
    );
    assert.equal(outcome.best.epochs, 3);
    assert.equal(outcome.bestConfig.learningRate, outcome.best.params.learning_rate);
    const best = request.recorded.metrics.filter((m) => m.runId === outcome.best.runId && m.point.key === 'val_loss');
    assert.deepEqual(
      best.map((m) => m.point.step),
      [1, 2, 3],
    );
    assert.equal(outcome.best.objective, Math.min(...best.map((m) => m.point.value)));
    // The trial promoted from 1 to 3 epochs resumed trainModel's checkpoint instead of starting over.
    assert.ok(
      request.lines.some((l) => /^trial \d+: resuming after epoch 1 from /.test(l)),
      request.lines.join('\n'),
    );
    assert.ok(existsSync(path.join(root, 'checkpoints', 'trials', String(outcome.best.trial), 'checkpoints')));
  });
});

import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadModel } from '../../../src/core/model/package';
import type { PipelineConfig, TrainConfig } from '../../../src/core/pipeline/config';
import type { ResolvedArtifact } from '../../../src/core/runner/executor';
import { trainExecutor } from '../../../src/core/runner/executors/train';
import { TransformedSplitWriter } from '../../../src/core/transform/dataset';
import { writeTransformGraph } from '../../../src/core/transform/graph';
import { transformRows } from '../../../src/core/transform/row';
import { executorContext } from '../../helpers/executorContext';
import { tempDir } from '../../helpers/tmp';
import { PIPELINE_FILE, syntheticRows, syntheticTransform, trainConfig } from './fixtures';

/** The transform component's two artifacts, written with its own writers. */
async function transformArtifacts(): Promise<ResolvedArtifact[]> {
  const root = tempDir('mlops-train-exec-');
  const transform = syntheticTransform('binary');
  const graphDir = path.join(root, 'transform_graph');
  const dataDir = path.join(root, 'transformed_examples');
  await fs.mkdir(graphDir);
  await fs.mkdir(dataDir);
  await writeTransformGraph(graphDir, transform);
  const splits: Record<string, { rows: number }> = {};
  for (const [split, count, seed] of [
    ['train', 200, 1],
    ['eval', 80, 2],
  ] as const) {
    const writer = new TransformedSplitWriter(dataDir, split, transform.layout);
    writer.write(transformRows(transform, syntheticRows(count, seed)));
    splits[split] = { rows: writer.finish().rows };
  }
  const artifact = (id: number, name: string, type: string, uri: string, properties = {}): ResolvedArtifact => ({
    id,
    name,
    type,
    uri,
    contentHash: null,
    properties,
  });
  return [artifact(1, 'transform_graph', 'TransformGraph', graphDir), artifact(2, 'transformed_examples', 'TransformedExamples', dataDir, { splits })];
}

const pipeline = (train: TrainConfig) => ({ name: 'taxi', file: PIPELINE_FILE, dir: path.dirname(PIPELINE_FILE), seed: 7, train }) as PipelineConfig;

describe('train executor', () => {
  it('trains on the transformed examples and publishes the model with its final metrics', async () => {
    const config = trainConfig({ epochs: 3, logEveryBatches: 4 });
    const inputs = new Map([['transform', await transformArtifacts()]]);
    const { context, recorded } = executorContext(pipeline(config), { name: 'train', type: 'train' }, { inputs });
    const result = await trainExecutor(config).run(context);

    assert.equal(recorded.backend, 'wasm');
    const [model] = result.outputs;
    assert.deepEqual([model.name, model.type, model.managed], ['model', 'Model', true]);
    const props = model.properties as Record<string, unknown>;
    assert.deepEqual([props.backend, props.task, props.modelType, props.epochs, props.bestEpoch], ['wasm', 'binary', 'dnn', 3, 3]);
    assert.match(String(props.weightsHash), /^[0-9a-f]{64}$/);
    // Live curves went to tracking, one point per metric per epoch plus batch losses.
    const live = recorded.metrics.map((m) => m.point);
    assert.deepEqual(
      live.filter((p) => p.key === 'val_auc').map((p) => p.step),
      [1, 2, 3],
    );
    assert.deepEqual(
      live.filter((p) => p.key === 'batch_loss').map((p) => p.step),
      [4, 8, 12, 16, 20],
    );
    // The result holds the kept model's final metrics, not the curves again.
    const final = Object.fromEntries(result.metrics!.map((m) => [m.key, m.value]));
    assert.equal(final['final.val_auc'], (props.metrics as Record<string, number>).val_auc);
    assert.ok(result.metrics!.every((m) => m.step === undefined));
    assert.equal(result.params!['model.type'], 'dnn');
    assert.equal(result.params!.learning_rate, '0.02');
    assert.match(result.summary!, /^dnn · 3 epochs · val_auc 0\.\d+ · [\d,]+ examples\/s · wasm$/);

    const loaded = await loadModel(model.path, { backend: 'wasm' });
    assert.equal(loaded.manifest.weightsHash, props.weightsHash);
    assert.equal((await loaded.predict(syntheticRows(5, 3))).length, 5);
    loaded.dispose();
  });

  it('resumes from its checkpoint folder when the run is resumed', async () => {
    const config = trainConfig({ epochs: 2 });
    const inputs = new Map([['transform', await transformArtifacts()]]);
    const root = tempDir('mlops-train-exec-');
    const first = executorContext(pipeline(config), { name: 'train', type: 'train' }, { inputs, root });
    const straight = await trainExecutor(config).run(first.context);
    const again = executorContext(pipeline(config), { name: 'train', type: 'train' }, { inputs, root, resume: true });
    const resumed = await trainExecutor(config).run(again.context);
    // Everything was done: the resumed execution only packages the checkpointed model.
    assert.match(resumed.summary!, /resumed after epoch 2/);
    assert.equal(again.recorded.metrics.filter((m) => m.point.key === 'loss').length, 0);
    assert.equal(resumed.outputs[0].properties!.weightsHash, straight.outputs[0].properties!.weightsHash);
  });

  it('fingerprints the train settings and the backend, not tuning or where the section is', async () => {
    const config = trainConfig();
    const fingerprint = (c: TrainConfig) =>
      trainExecutor(c).fingerprint!({
        config: pipeline(c),
        component: { name: 'train', type: 'train', dependsOn: [], location: c.location },
        signal: new AbortController().signal,
      });
    const base = await fingerprint(config);
    assert.deepEqual(await fingerprint({ ...config, location: { file: PIPELINE_FILE, line: 99 } }), base);
    assert.notDeepEqual(await fingerprint({ ...config, learningRate: 0.5 }), base);
    assert.equal((base as { backend: string }).backend, 'wasm');
  });
});

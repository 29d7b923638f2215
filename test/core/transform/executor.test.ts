import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Value } from '../../../src/core/data/cells';
import type { PipelineConfig } from '../../../src/core/pipeline/config';
import type { ResolvedArtifact } from '../../../src/core/runner/executor';
import { transformExecutor } from '../../../src/core/runner/executors/transform';
import { writeSchema } from '../../../src/core/schema';
import { loadTransformGraph } from '../../../src/core/transform/graph';
import { openTransformedSplit } from '../../../src/core/transform/dataset';
import { executorContext } from '../../helpers/executorContext';
import { tempDir } from '../../helpers/tmp';
import { at, examplesOf, PIPELINE, settings } from './helpers';

const columns = { fare: 'float', hour: 'int', pay: 'string', tips: 'float', y: 'string' } as const;
const row = (i: number, y: Value): Value[] => [5 + i, i % 4, i % 3 ? 'Cash' : 'Card', i / 2, y];
const train = Array.from({ length: 12 }, (_, i) => row(i, i === 3 || i === 7 ? null : i % 2 ? 'yes' : 'no'));
const evalRows = Array.from({ length: 6 }, (_, i) => row(i, i === 0 ? 'maybe' : i === 1 ? null : i % 2 ? 'yes' : 'no'));

/** A pipeline config as the parser gives it, with the transform settings of the helpers. */
function pipeline(overrides: Parameters<typeof settings>[0] = {}): PipelineConfig {
  const s = settings({ label: 'y', servingExclude: ['tips', 'y'], ...overrides });
  return {
    name: 'taxi',
    file: PIPELINE,
    dir: path.dirname(PIPELINE),
    hash: 'sha256:0',
    text: '',
    data: { train: s.data.train!, eval: { split: { fraction: 0.2, seed: 7 } }, missing: [], delimiter: ',', maxBadRows: 0 },
    features: { derive: [], exclude: [] },
    label: s.label,
    seed: 7,
    environments: s.environments,
    transform: s.transform,
    train: {
      model: { type: 'dnn', hidden: [8], activation: 'relu', dropout: 0, batchNorm: false, embeddingDim: s.train!.model.embeddingDim },
      task: s.train!.task,
      optimizer: 'adam',
      learningRate: 0.01,
      batchSize: 4,
      epochs: 1,
      seed: 7,
      l2: 0,
      logEveryBatches: 0,
      backend: 'cpu',
      location: at(40, 1),
    },
    steps: [],
    triggers: { spans: true, settleMs: 2000 },
  };
}

const artifact = (name: string, type: string, uri: string): ResolvedArtifact => ({ id: 1, name, type, uri, contentHash: null, properties: {} });

describe('transform executor', () => {
  it('fits on train, writes the transform graph and the transformed train and eval splits', async () => {
    const examples = await examplesOf(columns, { train, eval: evalRows });
    const schemaFile = path.join(tempDir(), 'data-schema.json');
    await writeSchema(schemaFile, { version: 1, features: { hour: { type: 'int', categorical: true } } });
    const config = pipeline({ features: [{ kind: 'bucketize', column: 'fare', buckets: 3, fill: 'mean' }] });
    const inputs = new Map([
      ['ingest', [artifact('examples', 'Examples', examples.dir)]],
      ['schema', [artifact('schema', 'Schema', schemaFile)]],
    ]);
    const { context, recorded } = executorContext(config, { name: 'transform', type: 'transform' }, { inputs });
    const result = await transformExecutor(config.transform).run(context);

    assert.deepEqual(
      result.outputs.map((o) => [o.name, o.type, o.managed]),
      [
        ['transform_graph', 'TransformGraph', true],
        ['transformed_examples', 'TransformedExamples', true],
      ],
    );
    const fitted = await loadTransformGraph(result.outputs[0].path);
    assert.deepEqual(
      fitted.inputs.map((i) => i.name),
      ['fare', 'hour', 'pay'],
    );
    assert.deepEqual(
      fitted.features.map((f) => f.kind),
      ['bucketize', 'vocabulary', 'vocabulary'],
    );
    assert.deepEqual(fitted.label, { task: 'binary', column: 'y', negative: 'no', positive: 'yes', type: 'string' });
    assert.deepEqual(fitted.fittedOn, { split: 'train', rows: 12 });
    // fare 5..16 in 3 buckets; hour 0..3 (+1 OOV); pay Cash, Card (+1 OOV).
    assert.deepEqual(
      fitted.layout.categorical.map((c) => c.size),
      [3, 5, 3],
    );
    assert.equal(result.summary, '3 inputs → 0 numeric + 3 categorical (11 ids) · train 10 rows · eval 4 · binary label y');
    assert.deepEqual(recorded.lines, [
      "warning: 2 train rows have no label 'y': left out",
      "warning: 1 eval rows have no label 'y': left out",
      'warning: 1 eval rows have a label value the training data does not have: left out',
    ]);
    assert.deepEqual(result.outputs[1].properties, { splits: { train: { rows: 10 }, eval: { rows: 4 } } });

    const trainSplit = await openTransformedSplit(result.outputs[1].path, 'train');
    assert.equal(trainSplit.rows, 10);
    assert.deepEqual(trainSplit.layout, fitted.layout);
    const labels: number[] = [];
    for await (const batch of trainSplit.batches({ batchSize: 3 })) labels.push(...batch.label);
    // Rows 3 and 7 have no label; the rest alternate no/yes.
    assert.deepEqual(labels, [0, 1, 0, 0, 1, 0, 0, 1, 0, 1]);
    assert.equal((await openTransformedSplit(result.outputs[1].path, 'eval')).rows, 4);
  });

  it('fingerprints the settings that shape the output, not where they are written', async () => {
    const executor = (config: PipelineConfig) => transformExecutor(config.transform);
    const fingerprint = (config: PipelineConfig) =>
      executor(config).fingerprint!({
        config,
        component: { name: 'transform', type: 'transform', dependsOn: [], location: at(1) },
        signal: new AbortController().signal,
      });
    const base = pipeline({ features: [{ kind: 'hash', column: 'pay', buckets: 10 }] });
    const moved = pipeline({ features: [{ kind: 'hash', column: 'pay', buckets: 10 }] });
    moved.transform!.features[0].location = at(99);
    moved.label!.location = at(98);
    assert.deepEqual(await fingerprint(moved), await fingerprint(base));
    const changed = [
      pipeline({ features: [{ kind: 'hash', column: 'pay', buckets: 11 }] }),
      pipeline({ features: [{ kind: 'hash', column: 'pay', buckets: 10 }], task: 'multiclass' }),
      pipeline({ features: [{ kind: 'hash', column: 'pay', buckets: 10 }], servingExclude: ['tips'] }),
      { ...base, label: { value: 'tips', location: at(8) } },
    ];
    for (const config of changed) assert.notDeepEqual(await fingerprint(config), await fingerprint(base));
  });

  it('stops with a UserError at the label line when the label is not in the data', async () => {
    const examples = await examplesOf(columns, { train });
    const config = { ...pipeline(), label: { value: 'why', location: at(8, 8) } };
    const { context } = executorContext(
      config,
      { name: 'transform', type: 'transform' },
      { inputs: new Map([['ingest', [artifact('examples', 'Examples', examples.dir)]]]) },
    );
    await assert.rejects(transformExecutor(config.transform).run(context), /taxi.pipeline.yaml:8:8: error: the label 'why' is not a column of the data/);
  });
});

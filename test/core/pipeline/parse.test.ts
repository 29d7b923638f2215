import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePipeline } from '../../../src/core/pipeline/load';
import { formatProblem } from '../../../src/core/util/problems';

const FILE = '/work/p/taxi.pipeline.yaml';

function errors(text: string) {
  return parsePipeline(text, FILE).problems.filter((p) => p.severity === 'error');
}

const VALID = `pipeline: taxi
seed: 3
data:
  train: data/*.csv
  missing: ["", NA]
features:
  derive:
    big_tipper: "tips > 0.2 * fare"
  exclude: [trip_start_timestamp]
label: big_tipper
steps:
  - name: report
    run: python report.py
    after: ingest
    outputs: { report: out/report.html }
    metrics: out/metrics.json
`;

describe('parsePipeline', () => {
  it('normalizes a valid file: absolute paths, defaults, components in order', () => {
    const parsed = parsePipeline(VALID, FILE);
    assert.deepEqual(parsed.problems, []);
    const c = parsed.config!;
    assert.equal(c.name, 'taxi');
    assert.equal(c.data.train.value, '/work/p/data/*.csv');
    assert.deepEqual(c.data.eval, { split: { fraction: 0.2, seed: 3 } });
    assert.equal(c.data.maxBadRows, 0.01);
    assert.equal(c.steps[0].outputs.report, '/work/p/out/report.html');
    assert.equal(c.steps[0].cwd, '/work/p');
    assert.match(c.hash, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(
      parsed.components.map((x) => [x.name, x.dependsOn]),
      [
        ['ingest', []],
        ['report', ['ingest']],
      ],
    );
    assert.equal(parsed.components[1].location.line, 12);
  });

  it('points a derived expression at its first character inside the quotes', () => {
    const c = parsePipeline(VALID, FILE).config!;
    assert.deepEqual([c.features.derive[0].expression.location.line, c.features.derive[0].expression.location.column], [8, 18]);
  });

  it('reads JSON pipeline files with positions too', () => {
    const json = '{\n  "pipeline": "j",\n  "data": { "train": 5 }\n}\n';
    const [e] = errors(json);
    assert.equal(e.location?.line, 3);
    assert.match(e.message, /data\.train: expected a string, found number 5/);
  });

  it('reports malformed YAML with line and column', () => {
    const [e] = errors('pipeline: x\ndata:\n  train: [a, b\n');
    assert.ok(e.location?.line && e.location.line >= 3, formatProblem(e));
    assert.ok(e.location?.column);
  });

  it('reports a duplicate key', () => {
    const [e] = errors('pipeline: x\npipeline: y\ndata: { train: a.csv }\n');
    assert.match(e.message, /unique/i);
    assert.equal(e.location?.line, 2);
  });

  it('names a missing required key and where it belongs', () => {
    const [e] = errors('pipeline: x\n');
    assert.match(e.message, /needs the key 'data'/);
  });

  it('suggests the closest key for a typo, at the key itself', () => {
    const [e] = errors('pipeline: x\ndata:\n  train: a.csv\n  evall: b.csv\n');
    assert.match(e.message, /unknown key 'evall' in data/);
    assert.match(e.hint ?? '', /did you mean 'eval'/);
    assert.deepEqual([e.location?.line, e.location?.column], [4, 3]);
    assert.deepEqual(e.suggestion, { text: 'evall', replacement: 'eval' }, 'what the editor offers as a quick fix');
  });

  it('says where serving is set instead of ignoring a serve section', () => {
    const [e] = errors('pipeline: x\ndata: { train: a.csv }\nlabel: y\nserve:\n  port: 8501\n');
    assert.match(e.message, /serving is not set in the pipeline file/);
    assert.match(e.hint ?? '', /mlops serve --port 8501/);
    assert.equal(e.location?.line, 4);
  });

  it('says a top-level tune belongs under train', () => {
    const [e] = errors('pipeline: x\ndata: { train: a.csv }\ntune: { space: {} }\n');
    assert.match(e.message, /move it under `train:`/);
    assert.equal(e.location?.line, 3);
  });

  it('checks value ranges from the schema', () => {
    const [e] = errors('pipeline: x\ndata:\n  train: a.csv\n  split: { eval: 1.5 }\n');
    assert.match(e.message, /data\.split\.eval/);
    assert.equal(e.location?.line, 4);
  });

  it('rejects eval files together with a split', () => {
    const [e] = errors('pipeline: x\ndata:\n  train: a.csv\n  eval: b.csv\n  split: { eval: 0.1 }\n');
    assert.match(e.message, /both `eval`.*and `split`/);
  });

  it('rejects unknown, duplicate and cyclic step dependencies', () => {
    const unknown = errors('pipeline: x\ndata: { train: a.csv }\nsteps:\n  - { name: a, run: x, after: nope }\n');
    assert.match(unknown[0].message, /runs after 'nope', which is not a component/);
    assert.equal(unknown[0].location?.line, 4);
    const duplicate = errors('pipeline: x\ndata: { train: a.csv }\nsteps:\n  - { name: a, run: x }\n  - { name: a, run: y }\n');
    assert.match(duplicate[0].message, /already used/);
    const builtin = errors('pipeline: x\ndata: { train: a.csv }\nsteps:\n  - { name: ingest, run: x }\n');
    assert.match(builtin[0].message, /built-in component 'ingest'/);
    const cycle = errors('pipeline: x\ndata: { train: a.csv }\nsteps:\n  - { name: a, run: x, after: b }\n  - { name: b, run: y, after: [a] }\n');
    assert.match(cycle[0].message, /cycle: a → b/);
  });

  it('lets a step train the model (train.step): evaluate and push take its model, it runs on the transform, its ONNX output is a model', () => {
    const text = `pipeline: x
data: { train: a.csv }
label: y
train:
  step: fit
  task: binary
push: {}
steps:
  - name: fit
    run: python3 fit.py
    outputs:
      model: { format: onnx, path: out/model.onnx, signature: { inputs: { x: [a, b] } } }
      report: out/report.html
`;
    const parsed = parsePipeline(text, FILE);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.components.map((c) => `${c.name} ← ${c.dependsOn.join(',')}`),
      ['ingest ← ', 'transform ← ingest', 'evaluate ← ingest,fit', 'push ← fit,evaluate', 'fit ← transform'],
    );
    const c = parsed.config!;
    assert.equal(c.train, undefined, 'no built-in trainer');
    assert.deepEqual({ step: c.trainStep?.step, task: c.trainStep?.task }, { step: 'fit', task: 'binary' });
    assert.deepEqual(c.steps[0].outputs, { model: '/work/p/out/model.onnx', report: '/work/p/out/report.html' });
    assert.deepEqual(c.steps[0].models, { model: { flavor: 'onnx', signature: { inputs: { x: ['a', 'b'] } } } });
  });

  it('refuses a train.step that names no step, and built-in trainer settings beside it, at their lines', () => {
    const problems = errors('pipeline: x\ndata: { train: a.csv }\nlabel: y\ntrain:\n  step: fitt\n  epochs: 3\nsteps:\n  - { name: fit, run: x }\n');
    assert.deepEqual(
      problems.map((p) => [p.location?.line, p.message, p.hint]),
      [
        [5, "train.step names 'fitt', which is not a step of this pipeline", 'its steps: fit'],
        [
          6,
          "train.epochs is a setting of the built-in trainer, but the step 'fitt' trains this pipeline's model",
          "remove it, or give it to the step (its env, or the script's own settings)",
        ],
      ],
    );
    const named = parsePipeline(
      'pipeline: x\ndata: { train: a.csv }\nlabel: y\ntrain: { step: train }\nevaluate: {}\nsteps:\n  - { name: train, run: x }\n',
      FILE,
    );
    assert.deepEqual(named.problems, [], 'a step may take the name of the trainer it replaces');
    assert.deepEqual(
      named.components.map((c) => c.name),
      ['ingest', 'transform', 'evaluate', 'train'],
    );
    const format = errors('pipeline: x\ndata: { train: a.csv }\nsteps:\n  - name: fit\n    run: x\n    outputs: { model: { format: pickle, path: m.pkl } }\n');
    assert.equal(format[0].location?.line, 6);
  });

  it('reports a derived expression that does not parse at its exact column', () => {
    const [e] = errors('pipeline: x\ndata: { train: a.csv }\nfeatures:\n  derive:\n    r: "fare * (tips + 1"\n');
    assert.equal(e.location?.line, 5);
    assert.ok((e.location?.column ?? 0) > 8, formatProblem(e));
  });

  it('refuses a document that is not a mapping', () => {
    const [e] = errors('- a\n- b\n');
    assert.match(e.message, /must be a mapping/);
  });
});

describe('parsePipeline: data checks', () => {
  const DATA = 'pipeline: x\ndata:\n  train: data/*.csv\n  serving: serving.csv\n';

  it('adds statistics, schema and validate in order when validate is asked for', () => {
    const parsed = parsePipeline(
      DATA + 'validate:\n  drift: { company: { linf: 0.01 } }\n  stop_on: warning\nsteps:\n  - { name: fit, run: x, after: validate }\n',
      FILE,
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.components.map((c) => [c.name, c.dependsOn]),
      [
        ['ingest', []],
        ['statistics', ['ingest']],
        ['schema', ['statistics']],
        ['validate', ['statistics', 'schema']],
        ['fit', ['validate']],
      ],
    );
    const c = parsed.config!;
    assert.equal(c.schema!.value, '/work/p/data-schema.json', 'the default schema file sits beside the pipeline');
    assert.deepEqual(c.validate!.drift, { company: { linf: 0.01 } });
    assert.equal(c.validate!.stopOn, 'warning');
  });

  it('computes statistics alone when only they are asked for', () => {
    const parsed = parsePipeline(DATA + 'statistics:\n  slices: [[payment_type]]\n', FILE);
    assert.deepEqual(
      parsed.components.map((c) => c.name),
      ['ingest', 'statistics'],
    );
    assert.deepEqual(parsed.config!.statistics!.slices, [['payment_type']]);
    assert.equal(parsed.config!.validate, undefined);
  });

  it('keeps environments with locations', () => {
    const c = parsePipeline(DATA + 'schema: schemas/taxi.json\nenvironments:\n  serving: { exclude: [tips, big_tipper] }\n', FILE).config!;
    assert.equal(c.schema!.value, '/work/p/schemas/taxi.json');
    assert.deepEqual(
      c.environments.serving.map((e) => e.value),
      ['tips', 'big_tipper'],
    );
    assert.equal(c.environments.serving[1].location.line, 7);
  });

  it('rejects skew thresholds without serving data, an unknown comparator and a built-in name for a step', () => {
    const [skew] = errors('pipeline: x\ndata: { train: a.csv }\nvalidate:\n  skew: { fare: { jsd: 0.1 } }\n');
    assert.match(skew.message, /data\.serving is not set/);
    const [method] = errors(DATA + 'validate:\n  drift: { fare: { jsdd: 0.1 } }\n');
    assert.match(method.message, /unknown key 'jsdd'/);
    assert.match(method.hint ?? '', /did you mean 'jsd'/);
    const [builtin] = errors(DATA + 'steps:\n  - { name: statistics, run: x }\n');
    assert.match(builtin.message, /built-in component 'statistics'/);
  });
});

describe('parsePipeline: transform and train', () => {
  const FILE = '/work/p/taxi.pipeline.yaml';
  const BASE = 'pipeline: taxi\nseed: 7\ndata:\n  train: data/*.csv\nlabel: big_tipper\n';

  it('expands transform shorthands and objects, in file order', () => {
    const parsed = parsePipeline(
      BASE +
        'transform:\n  fare: zscore\n  tips: drop\n  trip_miles: { bucketize: 5, fill: median }\n  company: { vocabulary: { top_k: 50, oov_buckets: 2 }, encoding: embedding, embedding_dim: 4 }\n' +
        '  hour_x_day: { cross: [trip_start_hour, trip_start_day], buckets: 24 }\n  trip_seconds: { log: true, scale: minmax, fill: 0 }\n  payment_type: vocabulary\n',
      FILE,
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.config!.transform!.features.map((f) => f.value),
      [
        { kind: 'numeric', column: 'fare', fill: 'mean', log: false, scale: 'zscore' },
        { kind: 'drop', column: 'tips' },
        { kind: 'bucketize', column: 'trip_miles', buckets: 5, fill: 'median', encoding: undefined, embeddingDim: undefined },
        { kind: 'vocabulary', column: 'company', topK: 50, frequencyThreshold: undefined, oovBuckets: 2, encoding: 'embedding', embeddingDim: 4 },
        { kind: 'cross', name: 'hour_x_day', columns: ['trip_start_hour', 'trip_start_day'], buckets: 24, encoding: undefined, embeddingDim: undefined },
        { kind: 'numeric', column: 'trip_seconds', fill: 0, log: true, scale: 'minmax' },
        { kind: 'vocabulary', column: 'payment_type', oovBuckets: 1 },
      ],
    );
    assert.equal(parsed.config!.transform!.features[2].location.line, 9);
  });

  it('adds transform and train after validation, and implies transform for train alone', () => {
    const withValidate = parsePipeline(BASE + 'validate: {}\ntrain: { epochs: 2 }\n', FILE);
    assert.deepEqual(withValidate.problems, []);
    assert.deepEqual(
      withValidate.components.slice(-2).map((c) => [c.name, c.dependsOn]),
      [
        ['transform', ['ingest', 'schema', 'validate']],
        ['train', ['transform']],
      ],
    );
    const alone = parsePipeline(BASE + 'train: dnn\n'.replace('dnn', '{ model: linear }'), FILE);
    assert.deepEqual(
      alone.components.map((c) => c.name),
      ['ingest', 'transform', 'train'],
    );
    assert.equal(alone.config!.transform!.location.line, 6, 'an implied transform points at train');
  });

  it('fills train defaults and infers metric directions', () => {
    const c = parsePipeline(
      BASE +
        'train:\n  model: dnn\n  early_stopping: { monitor: val_auc }\n  tune:\n    strategy: hyperband\n    objective: val_rmse\n    space:\n      learning_rate: { log: [0.0001, 0.01] }\n      model.hidden: { choice: [[32], [64, 32]] }\n      batch_size: { int: [32, 256], step: 32 }\n',
      FILE,
    ).config!;
    const t = c.train!;
    assert.deepEqual(t.model, { type: 'dnn', hidden: [64, 32], activation: 'relu', dropout: 0, batchNorm: false, embeddingDim: undefined });
    assert.equal(t.seed, 7, 'the pipeline seed');
    assert.deepEqual(t.earlyStopping, { monitor: 'val_auc', patience: 3, mode: 'max', minDelta: 0, restoreBest: true });
    assert.deepEqual(t.tune!.objective, { metric: 'val_rmse', direction: 'min' });
    assert.deepEqual(t.tune!.space['batch_size'].value, { kind: 'int', low: 32, high: 256, step: 32 });
    assert.deepEqual(t.tune!.space['learning_rate'].value, { kind: 'log', low: 0.0001, high: 0.01 });
    assert.equal(t.tune!.space['model.hidden'].location.line, 14);
    assert.equal(t.tune!.maxEpochs, 10);
  });

  it('rejects train without a label, contradictory transforms and unknown models', () => {
    const noLabel = parsePipeline('pipeline: x\ndata: { train: a.csv }\ntrain: { epochs: 1 }\n', FILE).problems;
    assert.match(noLabel[0].message, /train needs a label/);
    assert.equal(noLabel[0].location?.line, 3);
    const both = parsePipeline(BASE + 'transform:\n  fare: { bucketize: 4, vocabulary: true }\n', FILE).problems;
    assert.match(both[0].message, /both `bucketize` and `vocabulary`/);
    const scaleOnIds = parsePipeline(BASE + 'transform:\n  company: { hash: 10, scale: zscore }\n', FILE).problems;
    assert.match(scaleOnIds[0].message, /`scale` applies to numeric transforms/);
    const model = parsePipeline(BASE + 'train: { model: forest }\n', FILE).problems;
    assert.match(model[0].message, /train\.model/);
    assert.equal(model[0].location?.line, 6);
  });
});

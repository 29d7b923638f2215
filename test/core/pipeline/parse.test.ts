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
    assert.deepEqual(parsed.components.map((x) => [x.name, x.dependsOn]), [['ingest', []], ['report', ['ingest']]]);
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
  });

  it('says a planned section is not supported yet instead of ignoring it', () => {
    const [e] = errors('pipeline: x\ndata: { train: a.csv }\ntrain:\n  epochs: 3\n');
    assert.match(e.message, /section 'train' is not supported yet/);
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
    const parsed = parsePipeline(DATA + 'validate:\n  drift: { company: { linf: 0.01 } }\n  stop_on: warning\nsteps:\n  - { name: fit, run: x, after: validate }\n', FILE);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.components.map((c) => [c.name, c.dependsOn]), [
      ['ingest', []],
      ['statistics', ['ingest']],
      ['schema', ['statistics']],
      ['validate', ['statistics', 'schema']],
      ['fit', ['validate']],
    ]);
    const c = parsed.config!;
    assert.equal(c.schema!.value, '/work/p/data-schema.json', 'the default schema file sits beside the pipeline');
    assert.deepEqual(c.validate!.drift, { company: { linf: 0.01 } });
    assert.equal(c.validate!.stopOn, 'warning');
  });

  it('computes statistics alone when only they are asked for', () => {
    const parsed = parsePipeline(DATA + 'statistics:\n  slices: [[payment_type]]\n', FILE);
    assert.deepEqual(parsed.components.map((c) => c.name), ['ingest', 'statistics']);
    assert.deepEqual(parsed.config!.statistics!.slices, [['payment_type']]);
    assert.equal(parsed.config!.validate, undefined);
  });

  it('keeps environments with locations', () => {
    const c = parsePipeline(DATA + 'schema: schemas/taxi.json\nenvironments:\n  serving: { exclude: [tips, big_tipper] }\n', FILE).config!;
    assert.equal(c.schema!.value, '/work/p/schemas/taxi.json');
    assert.deepEqual(c.environments.serving.map((e) => e.value), ['tips', 'big_tipper']);
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

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LineageGraph, LineageNode, RunStore } from '../../../src/core/store';
import { isUserError } from '../../../src/core/util/problems';
import { newRun, openTempStore } from './helpers';

type Ports = Record<string, number>;

/**
 * Two runs of raw → ingest → examples → statistics → stats → schema → transform → (transformed,
 * graph) → train → model → push. Run 2 reused everything up to transform (cached executions that
 * link run 1's artifacts) and trained again; both models were registered, run 2's pushed and served.
 */
function twoRuns(store: RunStore) {
  const artifact = (type: string, uri = `/s/${type}`, properties: Record<string, unknown> = {}) => {
    const a = store.createArtifact({ type, uri, properties });
    return store.publishArtifact(a.id, { contentHash: `sha256:${a.id}`, sizeBytes: 1 }).id;
  };
  const execution = (runId: number, component: string, inputs: Ports, outputs: Ports, status: 'complete' | 'cached' = 'complete') => {
    const id = store.startExecution(runId, component, component).id;
    for (const [name, a] of Object.entries(inputs)) store.linkArtifact(id, a, 'input', name);
    for (const [name, a] of Object.entries(outputs)) store.linkArtifact(id, a, 'output', name);
    store.finishExecution(id, status);
    return id;
  };
  const run1 = store.createRun(newRun()).id;
  const a = { raw: artifact('File', '/data/train.csv'), examples: artifact('Examples'), stats: artifact('Statistics'), schema: artifact('Schema') };
  const b = { transformed: artifact('TransformedExamples'), graph: artifact('TransformGraph'), model1: artifact('Model', '/s/model1') };
  const e1 = {
    ingest: execution(run1, 'ingest', { files: a.raw }, { examples: a.examples }),
    statistics: execution(run1, 'statistics', { examples: a.examples }, { statistics: a.stats }),
    schema: execution(run1, 'schema', { statistics: a.stats }, { schema: a.schema }),
    transform: execution(run1, 'transform', { examples: a.examples, schema: a.schema }, { transformed: b.transformed, graph: b.graph }),
    train: execution(run1, 'train', { transformed: b.transformed, graph: b.graph }, { model: b.model1 }),
  };
  const run2 = store.createRun(newRun()).id;
  const e2 = {
    ingest: execution(run2, 'ingest', {}, { examples: a.examples }, 'cached'),
    statistics: execution(run2, 'statistics', { examples: a.examples }, { statistics: a.stats }, 'cached'),
    schema: execution(run2, 'schema', { statistics: a.stats }, { schema: a.schema }, 'cached'),
    transform: execution(run2, 'transform', { examples: a.examples, schema: a.schema }, { transformed: b.transformed, graph: b.graph }, 'cached'),
  };
  const model2 = artifact('Model', '/s/model2');
  const train2 = execution(run2, 'train', { transformed: b.transformed, graph: b.graph }, { model: model2 });
  const register = (runId: number, uri: string) =>
    store.registerModelVersion({ model: 'taxi', runId, uri, weightsHash: uri, task: 'binary', blessed: true, evaluationUri: null, metrics: {} });
  register(run1, '/s/model1');
  register(run2, '/s/model2');
  const pushed = artifact('PushedModel', '/serving/taxi/2', { model: 'taxi', version: 2, alias: 'production' });
  const push2 = execution(run2, 'push', { model: model2 }, { pushed_model: pushed });
  store.setModelAlias('taxi', 'production', 2, { reason: 'pushed by run #2', forced: false });
  const window = { key: 'v2/rows@r1', model: 'taxi', version: 2, start: 1000, end: 1999, rows: 100 };
  store.recordWindow({ window, labelled: 0, latency: null, drift: [], predictionDrift: [], invalid: {}, notes: [] });
  const alert = store.recordAlert({
    model: 'taxi',
    version: 2,
    kind: 'drift',
    subject: 'fare',
    method: 'wasserstein',
    value: 0.4,
    threshold: 0.1,
    window,
    message: 'fare: wasserstein 0.4 > 0.1',
  }).alert;
  const retrain = store.createRun(newRun()).id;
  store.claimAlertAction(alert.id, 'retrain', 'starting');
  store.finishAlertAction(alert.id, 'retrain', 'done', `run #${retrain}`, retrain);
  return { run1, run2, a: { ...a, ...b, model2, pushed }, e1, e2: { ...e2, train: train2, push: push2 }, retrain };
}

const ids = (g: LineageGraph, kind: LineageNode['kind']) => g.nodes.filter((n) => n.kind === kind).map((n) => n.id);
const node = (g: LineageGraph, id: string) => {
  const found = g.nodes.find((n) => n.id === id);
  assert.ok(found, `${id} is in the graph`);
  return found;
};
const x = (id: number) => `execution:${id}`;
const art = (id: number) => `artifact:${id}`;

test('upstream of an artifact: the executions that first wrote each input, with their sibling outputs', () => {
  const { store } = openTempStore();
  const { a, e1 } = twoRuns(store);
  const g = store.lineage({ subject: { kind: 'artifact', artifactIds: [a.transformed] }, direction: 'up' });
  assert.deepEqual(g.subjects, [art(a.transformed)]);
  assert.deepEqual(ids(g, 'execution'), [e1.ingest, e1.statistics, e1.schema, e1.transform].map(x), 'the originals, not the cached re-links');
  assert.deepEqual(ids(g, 'artifact').sort(), [a.raw, a.examples, a.stats, a.schema, a.transformed, a.graph].map(art).sort());
  assert.deepEqual(
    g.edges.filter((e) => e.from === x(e1.transform) || e.to === x(e1.transform)),
    [
      { from: art(a.examples), to: x(e1.transform), kind: 'input', name: 'examples' },
      { from: art(a.schema), to: x(e1.transform), kind: 'input', name: 'schema' },
      { from: x(e1.transform), to: art(a.graph), kind: 'output', name: 'graph' },
      { from: x(e1.transform), to: art(a.transformed), kind: 'output', name: 'transformed' },
    ],
  );
  assert.deepEqual(ids(g, 'modelVersion'), [], 'nothing downstream when walking up');
  assert.equal(g.truncated, false);
  store.close();
});

test('depth counts executions away from the subject; a source artifact has no upstream', () => {
  const { store } = openTempStore();
  const { a, e1 } = twoRuns(store);
  const up = (depth: number) => ids(store.lineage({ subject: { kind: 'artifact', artifactIds: [a.transformed] }, direction: 'up', depth }), 'execution');
  assert.deepEqual(up(1), [x(e1.transform)]);
  assert.deepEqual(up(2), [e1.ingest, e1.schema, e1.transform].map(x));
  const source = store.lineage({ subject: { kind: 'artifact', artifactIds: [a.raw] }, direction: 'up' });
  assert.deepEqual([source.nodes.map((n) => n.id), source.edges], [[art(a.raw)], []]);
  store.close();
});

test("a run's graph marks its cached executions as reused from the run that produced them, and reaches the originals' data", () => {
  const { store } = openTempStore();
  const { run1, run2, a, e1, e2 } = twoRuns(store);
  const g = store.lineage({ subject: { kind: 'run', runId: run2 }, direction: 'up' });
  assert.deepEqual(g.subjects, Object.values(e2).map(x));
  assert.deepEqual(
    ids(g, 'execution'),
    [e1.ingest, e1.statistics, e1.schema, e1.transform, ...Object.values(e2)].map(x),
    "the run's own executions, and the originals whose outputs its cached ones re-linked",
  );
  assert.ok(ids(g, 'artifact').includes(art(a.raw)), 'the data file the original ingest read (the cached one recorded none)');
  const transform = node(g, x(e2.transform));
  assert.ok(transform.kind === 'execution');
  assert.deepEqual(transform.reusedFrom, { executionId: e1.transform, runId: run1 });
  const train = node(g, x(e2.train));
  assert.ok(train.kind === 'execution' && train.reusedFrom === null);
  assert.deepEqual(ids(g, 'modelVersion'), [], 'upstream only');
  store.close();
});

test('downstream of a data file: everything built from it, the versions, their pushes and what serving saw', () => {
  const { store } = openTempStore();
  const { a, e1, e2, retrain } = twoRuns(store);
  const g = store.lineage({ subject: { kind: 'artifact', artifactIds: store.artifactIdsAt(['/data/train.csv']) }, direction: 'down' });
  assert.deepEqual(g.subjects, [art(a.raw)]);
  assert.deepEqual(
    ids(g, 'execution'),
    [e1.ingest, e1.statistics, e1.schema, e1.transform, e1.train, e2.train, e2.push].map(x),
    'cached executions built nothing and are left out; the second training is in',
  );
  assert.deepEqual(ids(g, 'modelVersion'), ['model:taxi@1', 'model:taxi@2']);
  const v2 = node(g, 'model:taxi@2');
  assert.ok(v2.kind === 'modelVersion');
  assert.deepEqual(v2.version.aliases, ['production']);
  assert.deepEqual(
    g.edges.filter((e) => e.kind === 'registered' || e.kind === 'pushed' || e.kind === 'served'),
    [
      { from: art(a.model1), to: 'model:taxi@1', kind: 'registered' },
      { from: art(a.pushed), to: 'model:taxi@2', kind: 'pushed' },
      { from: 'model:taxi@2', to: 'monitoring:taxi@2', kind: 'served' },
    ],
  );
  const served = node(g, 'monitoring:taxi@2');
  assert.ok(served.kind === 'monitoring');
  assert.deepEqual(
    [served.monitoring.windows, served.monitoring.alerts, served.monitoring.latestAlerts.map((al) => al.message), served.monitoring.retrainRunIds],
    [1, 1, ['fare: wasserstein 0.4 > 0.1'], [retrain]],
  );
  store.close();
});

test('a model version: where it came from (through a cached run to the original work) and what it became', () => {
  const { store } = openTempStore();
  const { a, e1, e2 } = twoRuns(store);
  const g = store.lineage({ subject: { kind: 'model', model: 'taxi', version: 2 } });
  assert.deepEqual(g.subjects, ['model:taxi@2']);
  assert.deepEqual(ids(g, 'execution'), [e1.ingest, e1.statistics, e1.schema, e1.transform, e2.train, e2.push].map(x));
  assert.ok(g.edges.some((e) => e.from === art(a.model2) && e.to === x(e2.push)));
  assert.deepEqual(ids(g, 'monitoring'), ['monitoring:taxi@2']);
  const up = store.lineage({ subject: { kind: 'model', model: 'taxi', version: 2 }, direction: 'up' });
  assert.deepEqual(ids(up, 'modelVersion'), ['model:taxi@2'], 'the subject itself, hanging off the push that made it');
  assert.deepEqual(
    up.edges.filter((e) => e.to === 'model:taxi@2'),
    [{ from: art(a.pushed), to: 'model:taxi@2', kind: 'pushed' }],
  );
  assert.ok(ids(up, 'execution').includes(x(e2.push)), 'walking up passes through the push and what it read');
  store.close();
});

test('the walk stops at maxNodes and says the graph was cut', () => {
  const { store } = openTempStore();
  const { a } = twoRuns(store);
  const g = store.lineage({ subject: { kind: 'artifact', artifactIds: [a.raw] }, direction: 'down', maxNodes: 4 });
  assert.equal(g.truncated, true);
  // An execution comes with all its artifacts, so the cut falls between executions.
  assert.deepEqual(ids(g, 'execution').length, 2);
  assert.equal(store.lineage({ subject: { kind: 'artifact', artifactIds: [a.raw] }, direction: 'down' }).truncated, false);
  const many = store.lineage({ subject: { kind: 'artifact', artifactIds: [a.model1, a.raw] }, direction: 'up', maxNodes: 1 });
  assert.deepEqual([many.subjects, many.truncated], [[art(a.model1)], true], 'more artifacts than nodes: the first ones, and the graph says it was cut');
  store.close();
});

test('unknown subjects are user errors naming what is missing', () => {
  const { store } = openTempStore();
  twoRuns(store);
  for (const [subject, message] of [
    [{ kind: 'run', runId: 99 }, /there is no run 99/],
    [{ kind: 'artifact', artifactIds: [999] }, /there is no artifact 999/],
    [{ kind: 'model', model: 'taxi', version: 7 }, /there is no model version taxi@7/],
  ] as const) {
    assert.throws(
      () => store.lineage({ subject }),
      (err) => isUserError(err) && message.test(err.message),
    );
  }
  store.close();
});

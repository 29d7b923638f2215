import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { openRaw } from '../../helpers/rawSqlite';
import { RunStore } from '../../../src/core/store';
import { isUserError } from '../../../src/core/util/problems';
import { FakeClock, newRun, openTempStore } from './helpers';

test('createRun records everything about the run and starts it running', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const run = store.createRun(
    newRun({ component: 'train', gitCommit: 'abc123', gitDirty: false, tfjsBackend: 'tensorflow', seed: 7, pid: 4242, hostname: 'box' }),
  );
  assert.deepEqual(run, {
    id: 1,
    pipelineId: 1,
    pipelineName: 'taxi',
    pipelineFile: 'pipelines/taxi.yaml',
    status: 'running',
    component: 'train',
    startedAt: clock.time,
    endedAt: null,
    pipelineHash: 'sha256:pipeline',
    gitCommit: 'abc123',
    gitDirty: false,
    toolVersion: '0.1.0',
    tfjsBackend: 'tensorflow',
    seed: 7,
    error: null,
    pid: 4242,
    hostname: 'box',
    parentRunId: null,
    nodeVersion: process.versions.node,
    sqliteDriver: store.driver.name,
    sqliteVersion: store.driver.sqliteVersion,
    trigger: null,
    reproducesRunId: null,
  });
  store.close();
});

test('createRun defaults to this process and host, and unknown git state', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun({ startedAt: 5 }));
  assert.equal(run.pid, process.pid);
  assert.equal(run.hostname, os.hostname());
  assert.equal(run.gitDirty, null);
  assert.equal(run.component, null);
  assert.equal(run.startedAt, 5);
  assert.equal(store.createRun(newRun({ gitDirty: true })).gitDirty, true);
  store.close();
});

test('a pipeline row is created on first use and keeps the latest file', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const first = store.createRun(newRun());
  clock.advance(1000);
  const second = store.createRun(newRun({ pipelineFile: 'moved/taxi.yaml' }));
  const other = store.createRun(newRun({ pipelineName: 'penguins', pipelineFile: 'penguins.yaml' }));
  assert.equal(first.pipelineId, second.pipelineId);
  assert.notEqual(other.pipelineId, first.pipelineId);
  assert.equal(first.pipelineFile, 'pipelines/taxi.yaml', 'each run keeps the file it ran from');
  assert.deepEqual(store.listPipelines(), [
    { id: other.pipelineId, name: 'penguins', file: 'penguins.yaml', createdAt: clock.time },
    { id: first.pipelineId, name: 'taxi', file: 'moved/taxi.yaml', createdAt: clock.time - 1000 },
  ]);
  store.close();
});

test('finishRun records the outcome and end time', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const ok = store.createRun(newRun());
  const bad = store.createRun(newRun());
  clock.advance(2500);
  store.finishRun(ok.id, 'complete');
  store.finishRun(bad.id, 'failed', 'train: loss became NaN');
  assert.deepEqual(
    [store.getRun(ok.id), store.getRun(bad.id)].map((r) => [r?.status, r?.endedAt, r?.error]),
    [
      ['complete', clock.time, null],
      ['failed', clock.time, 'train: loss became NaN'],
    ],
  );
  assert.throws(() => store.finishRun(99, 'complete'), /run 99 does not exist/);
  store.close();
});

test('getRun and getRunDetails of an unknown id are undefined', () => {
  const { store } = openTempStore();
  assert.equal(store.getRun(1), undefined);
  assert.equal(store.getRunDetails(1), undefined);
  store.close();
});

test('getRunDetails gathers executions, params, latest metrics, tags and artifacts', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const run = store.createRun(newRun());
  const ingest = store.startExecution(run.id, 'ingest', 'ingest', { spans: 2 });
  const examples = store.createArtifact({ type: 'Examples', uri: '/s/examples' });
  store.linkArtifact(ingest.id, examples.id, 'output', 'examples');
  store.publishArtifact(examples.id, { contentHash: 'sha256:e', sizeBytes: 10 });
  store.finishExecution(ingest.id, 'complete');
  const train = store.startExecution(run.id, 'train', 'train');
  store.linkArtifact(train.id, examples.id, 'input', 'examples');
  store.logParams(run.id, { epochs: 3, optimizer: 'adam' });
  store.setTags(run.id, { owner: 'ana' });
  store.logMetrics(run.id, train.id, [
    { key: 'loss', value: 0.9, step: 0 },
    { key: 'loss', value: 0.5, step: 1 },
    { key: 'loss', value: 0.4, step: 2 },
    { key: 'auc', value: 0.8, step: 2 },
  ]);
  store.logMetrics(run.id, null, [{ key: 'loss', value: 0.45, step: 2 }]);

  const details = store.getRunDetails(run.id);
  assert.ok(details);
  assert.deepEqual(details.run, store.getRun(run.id));
  assert.deepEqual(
    details.executions.map((e) => [e.component, e.status, e.properties]),
    [
      ['ingest', 'complete', { spans: 2 }],
      ['train', 'running', {}],
    ],
  );
  assert.deepEqual(details.params, { epochs: '3', optimizer: 'adam' });
  assert.deepEqual(details.tags, { owner: 'ana' });
  assert.deepEqual(details.metrics, [
    { key: 'auc', value: 0.8, step: 2, points: 1, executionId: train.id },
    { key: 'loss', value: 0.45, step: 2, points: 4, executionId: null },
  ]);
  assert.deepEqual(
    details.artifacts.map((a) => [a.executionId, a.role, a.name, a.uri, a.state]),
    [
      [ingest.id, 'output', 'examples', '/s/examples', 'live'],
      [train.id, 'input', 'examples', '/s/examples', 'live'],
    ],
  );
  store.close();
});

test('componentStatuses gives the newest execution of each component of one pipeline', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const first = store.createRun(newRun());
  for (const component of ['ingest', 'statistics', 'train']) {
    const e = store.startExecution(first.id, component, component);
    store.finishExecution(e.id, component === 'train' ? 'failed' : 'complete', component === 'train' ? 'boom' : null);
  }
  store.finishRun(first.id, 'failed');
  const second = store.createRun(newRun({ component: 'train' }));
  const cached = store.startExecution(second.id, 'ingest', 'ingest');
  store.finishExecution(cached.id, 'cached');
  clock.advance(10);
  store.startExecution(second.id, 'train', 'train');
  const other = store.createRun(newRun({ pipelineName: 'penguins' }));
  store.startExecution(other.id, 'ingest', 'ingest');

  assert.deepEqual(store.componentStatuses('taxi'), [
    { component: 'statistics', status: 'complete', runId: first.id, endedAt: clock.time - 10 },
    { component: 'ingest', status: 'cached', runId: second.id, endedAt: clock.time - 10 },
    { component: 'train', status: 'running', runId: second.id, endedAt: null },
  ]);
  assert.deepEqual(store.componentStatuses('nobody'), []);
  store.close();
});

function countRows(storePath: string): Record<string, number> {
  const raw = openRaw(storePath, { readonly: true });
  const tables = ['runs', 'executions', 'events', 'artifacts', 'params', 'metrics', 'tags'];
  const counts = Object.fromEntries(tables.map((t) => [t, raw.value(`SELECT count(*) FROM ${t}`) as number]));
  raw.close();
  return counts;
}

/** Run 1 produces examples (used again by run 2) and a model of its own; run 2 produces a report. */
function twoRunsSharingAnArtifact(store: RunStore) {
  const first = store.createRun(newRun());
  const ingest = store.startExecution(first.id, 'ingest', 'ingest');
  const examples = store.createArtifact({ type: 'Examples', uri: '/s/examples' });
  store.linkArtifact(ingest.id, examples.id, 'output', 'examples');
  const train = store.startExecution(first.id, 'train', 'train');
  store.linkArtifact(train.id, examples.id, 'input', 'examples');
  const model = store.createArtifact({ type: 'Model', uri: '/s/model' });
  store.linkArtifact(train.id, model.id, 'output', 'model');
  store.logParams(first.id, { epochs: 3 });
  store.setTags(first.id, { owner: 'ana' });
  store.logMetrics(first.id, train.id, [{ key: 'loss', value: 1 }]);
  store.logMetrics(first.id, null, [{ key: 'rows', value: 100 }]);
  store.finishRun(first.id, 'complete');

  const second = store.createRun(newRun());
  const report = store.startExecution(second.id, 'report', 'step');
  store.linkArtifact(report.id, examples.id, 'input', 'examples');
  const output = store.createArtifact({ type: 'File', uri: '/s/report.html' });
  store.linkArtifact(report.id, output.id, 'output', 'report');
  store.logParams(second.id, { format: 'html' });
  store.finishRun(second.id, 'complete');
  return { first, second };
}

test('deleteRun cascades to everything of the run and returns the artifacts only it used', () => {
  const { store, path: storePath } = openTempStore();
  const { first, second } = twoRunsSharingAnArtifact(store);
  assert.deepEqual(countRows(storePath), { runs: 2, executions: 3, events: 5, artifacts: 3, params: 2, metrics: 2, tags: 1 });

  assert.deepEqual(store.deleteRun(first.id), ['/s/model']);
  assert.deepEqual(countRows(storePath), { runs: 1, executions: 1, events: 2, artifacts: 2, params: 1, metrics: 0, tags: 0 });
  assert.equal(store.getRun(first.id), undefined);

  assert.deepEqual(store.deleteRun(second.id).sort(), ['/s/examples', '/s/report.html']);
  assert.deepEqual(countRows(storePath), { runs: 0, executions: 0, events: 0, artifacts: 0, params: 0, metrics: 0, tags: 0 });
  assert.deepEqual(store.integrityCheck(), []);
  store.close();
});

test('deleteRun refuses an unknown or still running run', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  assert.throws(
    () => store.deleteRun(run.id),
    (e) => isUserError(e) && /run 1 is still running/.test(e.message),
  );
  assert.throws(
    () => store.deleteRun(7),
    (e) => isUserError(e) && e.message.includes(`there is no run 7 in the run store ${store.path}`),
  );
  store.close();
});

test('run ids are never reused after a delete', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  store.finishRun(run.id, 'complete');
  store.deleteRun(run.id);
  assert.equal(store.createRun(newRun()).id, run.id + 1);
  store.close();
});

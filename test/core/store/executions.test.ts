import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRaw } from '../../helpers/rawSqlite';
import type { RunStore } from '../../../src/core/store';
import { FakeClock, newRun, openTempStore } from './helpers';

test('startExecution starts it running; finishExecution records the outcome', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const run = store.createRun(newRun());
  const execution = store.startExecution(run.id, 'train', 'train', { epochs: 3 }, 'key-1');
  assert.deepEqual(execution, {
    id: 1,
    runId: run.id,
    component: 'train',
    type: 'train',
    status: 'running',
    startedAt: clock.time,
    endedAt: null,
    cacheKey: 'key-1',
    error: null,
    properties: { epochs: 3 },
  });
  clock.advance(300);
  store.finishExecution(execution.id, 'failed', 'out of memory');
  const [finished] = store.getRunDetails(run.id)?.executions ?? [];
  assert.deepEqual([finished.status, finished.endedAt, finished.error], ['failed', clock.time, 'out of memory']);
  assert.throws(() => store.finishExecution(42, 'complete'), /execution 42 does not exist/);
  assert.throws(() => store.startExecution(42, 'train', 'train'), /FOREIGN KEY/);
  store.close();
});

/** A transform execution with one output, finished as `status` (or left running), its output published or not. */
function produce(store: RunStore, runId: number, key: string, status: 'complete' | 'failed' | 'cached' | null, publish = true) {
  const execution = store.startExecution(runId, 'transform', 'transform', {}, key);
  const output = store.createArtifact({ type: 'Examples', uri: `/s/${execution.id}/examples` });
  store.linkArtifact(execution.id, output.id, 'output', 'transformed');
  if (publish) store.publishArtifact(output.id, { contentHash: `sha256:${execution.id}`, sizeBytes: 1 });
  if (status) store.finishExecution(execution.id, status);
  return { execution, output };
}

test('findCachedExecution returns the newest complete execution with live outputs, with those outputs', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  const input = store.createArtifact({ type: 'Examples', uri: '/s/raw' });
  produce(store, run.id, 'k', 'complete');
  const newer = produce(store, run.id, 'k', 'complete');
  store.linkArtifact(newer.execution.id, input.id, 'input', 'examples');
  produce(store, run.id, 'k', 'failed');
  produce(store, run.id, 'k', null);
  produce(store, run.id, 'other', 'complete');

  const hit = store.findCachedExecution('k');
  assert.ok(hit);
  assert.equal(hit.execution.id, newer.execution.id);
  assert.equal(hit.execution.status, 'complete');
  assert.deepEqual(
    hit.outputs.map((o) => [o.id, o.name, o.role, o.state, o.executionId]),
    [[newer.output.id, 'transformed', 'output', 'live', newer.execution.id]],
    'inputs are not outputs, and a pending input does not matter',
  );

  store.abandonArtifact(store.createArtifact({ type: 'x', uri: '/unrelated' }).id);
  assert.equal(store.findCachedExecution('k')?.execution.id, newer.execution.id, 'other artifacts do not matter');
  assert.equal(store.findCachedExecution('missing'), undefined);
  store.close();
});

test('an execution whose outputs are not all live is skipped for an older one', () => {
  const { store, path: storePath } = openTempStore();
  const run = store.createRun(newRun());
  const older = produce(store, run.id, 'k', 'complete');
  produce(store, run.id, 'k', 'complete', false);
  const withTwoOutputs = produce(store, run.id, 'k', 'complete');
  const second = store.createArtifact({ type: 'TransformGraph', uri: '/s/graph' });
  store.linkArtifact(withTwoOutputs.execution.id, second.id, 'output', 'graph');
  store.abandonArtifact(second.id);

  assert.equal(store.findCachedExecution('k')?.execution.id, older.execution.id);
  const raw = openRaw(storePath);
  raw.prepare(`UPDATE artifacts SET state = 'deleted' WHERE id = ?`).run(older.output.id);
  raw.close();
  assert.equal(store.findCachedExecution('k'), undefined, 'a deleted output ends reuse');
  store.close();
});

test('a cached execution keeps its outputs reusable after the producing run is deleted', () => {
  const { store } = openTempStore();
  const first = store.createRun(newRun());
  const produced = produce(store, first.id, 'k', 'complete');
  store.finishRun(first.id, 'complete');

  const second = store.createRun(newRun());
  const reuse = store.startExecution(second.id, 'transform', 'transform', {}, 'k');
  store.linkArtifact(reuse.id, produced.output.id, 'output', 'transformed');
  store.finishExecution(reuse.id, 'cached');
  store.finishRun(second.id, 'complete');

  assert.deepEqual(store.deleteRun(first.id), [], 'the second run still uses the output');
  const hit = store.findCachedExecution('k');
  assert.equal(hit?.execution.id, reuse.id);
  assert.deepEqual(
    hit?.outputs.map((o) => o.uri),
    [produced.output.uri],
  );
  store.close();
});

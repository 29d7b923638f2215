import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventRole } from '../../../src/core/store';
import { FakeClock, newRun, openTempStore } from './helpers';

test('an artifact is created pending, then published live with its hash and size', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const pending = store.createArtifact({ type: 'Model', uri: '/s/model', properties: { framework: 'tfjs' } });
  assert.deepEqual(pending, {
    id: 1,
    type: 'Model',
    uri: '/s/model',
    state: 'pending',
    contentHash: null,
    sizeBytes: null,
    properties: { framework: 'tfjs' },
    createdAt: clock.time,
  });
  const live = store.publishArtifact(pending.id, { contentHash: 'sha256:abc', sizeBytes: 2048 });
  assert.deepEqual(live, { ...pending, state: 'live', contentHash: 'sha256:abc', sizeBytes: 2048 });
  assert.throws(() => store.publishArtifact(pending.id, { contentHash: 'x', sizeBytes: 1 }), /not pending/, 'written once');
  assert.throws(() => store.abandonArtifact(pending.id), /not pending/, 'a live artifact is not abandoned');
  store.close();
});

test('abandonArtifact marks a pending artifact abandoned', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  const execution = store.startExecution(run.id, 'train', 'train');
  const artifact = store.createArtifact({ type: 'Model', uri: '/s/model' });
  store.linkArtifact(execution.id, artifact.id, 'output', 'model');
  store.abandonArtifact(artifact.id);
  assert.equal(store.getRunDetails(run.id)?.artifacts[0].state, 'abandoned');
  assert.throws(() => store.abandonArtifact(99), /artifact 99 does not exist or is not pending/);
  store.close();
});

test('linkArtifact is idempotent and checks its references and role', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  const execution = store.startExecution(run.id, 'train', 'train');
  const artifact = store.createArtifact({ type: 'Examples', uri: '/s/examples' });
  store.linkArtifact(execution.id, artifact.id, 'input', 'examples');
  store.linkArtifact(execution.id, artifact.id, 'input', 'examples');
  store.linkArtifact(execution.id, artifact.id, 'input', 'eval_examples');
  assert.deepEqual(
    store.getRunDetails(run.id)?.artifacts.map((a) => a.name),
    ['eval_examples', 'examples'],
  );
  assert.throws(() => store.linkArtifact(execution.id, 99, 'input', 'examples'), /FOREIGN KEY/);
  assert.throws(() => store.linkArtifact(execution.id, artifact.id, 'both' as EventRole, 'examples'), /CHECK/);
  store.close();
});

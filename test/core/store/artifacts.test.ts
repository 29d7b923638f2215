import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventRole, RunStore } from '../../../src/core/store';
import { isUserError } from '../../../src/core/util/problems';
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

/**
 * raw → ingest → examples → statistics → stats → schema_gen → schema
 *                 examples ─────────────────────────────────→ transform → (transformed, graph)
 */
function pipelineGraph(store: RunStore) {
  const run = store.createRun(newRun());
  const artifact = (type: string) => store.createArtifact({ type, uri: `/s/${type}` }).id;
  const execution = (component: string, inputs: Record<string, number>, outputs: Record<string, number>) => {
    const id = store.startExecution(run.id, component, component).id;
    for (const [role, links] of [
      ['input', inputs],
      ['output', outputs],
    ] as const) {
      for (const [name, artifactId] of Object.entries(links)) store.linkArtifact(id, artifactId, role, name);
    }
    return id;
  };
  const a = { raw: artifact('File'), examples: artifact('Examples'), stats: artifact('Statistics'), schema: artifact('Schema') };
  const b = { transformed: artifact('TransformedExamples'), graph: artifact('TransformGraph') };
  const e = {
    ingest: execution('ingest', { files: a.raw }, { examples: a.examples }),
    statistics: execution('statistics', { examples: a.examples }, { statistics: a.stats }),
    schema: execution('schema', { statistics: a.stats }, { schema: a.schema }),
    transform: execution('transform', { examples: a.examples, schema: a.schema }, { transformed: b.transformed, graph: b.graph }),
  };
  return { a: { ...a, ...b }, e };
}

test('lineage walks upstream executions and their artifacts', () => {
  const { store } = openTempStore();
  const { a, e } = pipelineGraph(store);
  const graph = store.lineage(a.transformed);
  assert.equal(graph.artifact.id, a.transformed);
  assert.deepEqual(
    graph.executions.map((x) => x.id),
    [e.ingest, e.statistics, e.schema, e.transform],
  );
  assert.deepEqual(
    graph.artifacts.map((x) => x.id).sort((x, y) => x - y),
    Object.values(a).sort((x, y) => x - y),
  );
  assert.deepEqual(
    graph.events.filter((ev) => ev.executionId === e.transform),
    [
      { executionId: e.transform, artifactId: a.examples, role: 'input', name: 'examples' },
      { executionId: e.transform, artifactId: a.schema, role: 'input', name: 'schema' },
      { executionId: e.transform, artifactId: a.graph, role: 'output', name: 'graph' },
      { executionId: e.transform, artifactId: a.transformed, role: 'output', name: 'transformed' },
    ],
    'sibling outputs come with their execution',
  );
  store.close();
});

test('lineage stops at the requested depth, and starts from nothing for a source artifact', () => {
  const { store } = openTempStore();
  const { a, e } = pipelineGraph(store);
  assert.deepEqual(
    store.lineage(a.transformed, 1).executions.map((x) => x.id),
    [e.transform],
  );
  assert.deepEqual(
    store.lineage(a.transformed, 2).executions.map((x) => x.id),
    [e.ingest, e.schema, e.transform],
  );
  const source = store.lineage(a.raw);
  assert.deepEqual([source.executions, source.events, source.artifacts.map((x) => x.id)], [[], [], [a.raw]]);
  assert.throws(
    () => store.lineage(999),
    (err) => isUserError(err) && /there is no artifact 999/.test(err.message),
  );
  store.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LineageGraph } from '../../src/core/store/types';
import { subjectKey, subjectName, toLineageView } from '../../src/extension/lineage/collect';
import { isFromWebviewMessage, isLineageState, isToWebviewMessage } from '../../src/shared/lineage';

const execution = (id: number, runId: number, component: string, status: 'complete' | 'cached' | 'failed') => ({
  id,
  runId,
  component,
  type: component,
  status,
  startedAt: 1,
  endedAt: 2,
  cacheKey: null,
  error: status === 'failed' ? 'train: loss became NaN\nmore' : null,
  properties: {},
});
const artifact = (id: number, type: string, uri: string) => ({
  id,
  type,
  uri,
  state: 'live' as const,
  contentHash: 'sha256:abcdef0123456789',
  sizeBytes: 10,
  properties: {},
  createdAt: 1,
});

/** Run 2 reused run 1's transform and trained again; its version is in production and was served. */
const GRAPH: LineageGraph = {
  subjects: ['model:taxi@2'],
  direction: 'both',
  nodes: [
    { id: 'execution:5', kind: 'execution', execution: execution(5, 2, 'transform', 'cached'), reusedFrom: { executionId: 2, runId: 1 } },
    { id: 'execution:6', kind: 'execution', execution: execution(6, 2, 'train', 'complete'), reusedFrom: null },
    { id: 'artifact:3', kind: 'artifact', artifact: artifact(3, 'TransformedExamples', '/ws/.mlops/artifacts/t/transformed') },
    { id: 'artifact:7', kind: 'artifact', artifact: artifact(7, 'Model', '/ws/.mlops/artifacts/t/model') },
    {
      id: 'model:taxi@2',
      kind: 'modelVersion',
      version: { model: 'taxi', version: 2, runId: 2, blessed: true, aliases: ['production'], createdAt: 1, pushedTo: '/ws/serving/taxi/2' },
    },
    {
      id: 'monitoring:taxi@2',
      kind: 'monitoring',
      monitoring: {
        model: 'taxi',
        version: 2,
        windows: 6,
        firstWindowEnd: 1,
        lastWindowEnd: 2,
        alerts: 1,
        latestAlerts: [{ id: 1, kind: 'drift', subject: 'fare', message: 'fare: wasserstein 0.42 > 0.1', createdAt: 2 }],
        retrainRunIds: [3],
      },
    },
  ],
  edges: [
    { from: 'execution:5', to: 'artifact:3', kind: 'output', name: 'transformed_examples' },
    { from: 'artifact:3', to: 'execution:6', kind: 'input', name: 'transform.transformed_examples' },
    { from: 'execution:6', to: 'artifact:7', kind: 'output', name: 'model' },
    { from: 'artifact:7', to: 'model:taxi@2', kind: 'registered' },
    { from: 'model:taxi@2', to: 'monitoring:taxi@2', kind: 'served' },
  ],
  truncated: false,
};

const relative = (uri: string) => uri.replace('/ws/', '');

test('the view labels each kind of node the way the CLI lists it', () => {
  const view = toLineageView(GRAPH, { kind: 'model', model: 'taxi', version: 2 }, relative, 3.2);
  assert.equal(view.title, 'Lineage of taxi@2');
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  assert.deepEqual(
    ['execution:5', 'execution:6', 'artifact:3', 'model:taxi@2', 'monitoring:taxi@2'].map((id) => {
      const n = byId.get(id)!;
      return [n.title, n.caption, n.status, n.reused, n.reusedFromRun, n.subject];
    }),
    [
      ['transform', 'run #2 · reused run #1', 'cached', true, 1, false],
      ['train', 'run #2 · complete', 'complete', false, null, false],
      ['TransformedExamples', '#3 transformed', 'live', false, null, false],
      ['taxi@2', 'production · blessed', 'blessed', false, null, true],
      ['served taxi@2', '6 windows · 1 alert', 'alerts', false, null, false],
    ],
  );
  assert.deepEqual(byId.get('artifact:3')!.detail, ['.mlops/artifacts/t/transformed', 'sha256:abcdef012345']);
  assert.deepEqual(byId.get('monitoring:taxi@2')!.detail, ['drift: fare: wasserstein 0.42 > 0.1', 'retrained by run #3']);
  assert.deepEqual(view.edges[1], { from: 'artifact:3', to: 'execution:6', kind: 'input', label: 'transform.transformed_examples' });
  assert.ok(isToWebviewMessage({ type: 'graph', payload: view }), 'the view passes the contract the page checks');
  assert.ok(isLineageState({ subject: view.subject, direction: 'up', view, viewport: { x: 1, y: 2, scale: 0.7 } }));
});

test('a failed execution shows the first line of its error in the tooltip', () => {
  const failed: LineageGraph = {
    ...GRAPH,
    nodes: [{ id: 'execution:9', kind: 'execution', execution: execution(9, 4, 'train', 'failed'), reusedFrom: null }],
    edges: [],
  };
  const [node] = toLineageView(failed, { kind: 'run', runId: 4 }, relative, 1).nodes;
  assert.deepEqual([node.caption, node.detail], ['run #4 · failed', ['execution #9 (train)', 'train: loss became NaN']]);
});

test('subjects: one panel key per subject whatever the order of artifact ids, and names people read', () => {
  assert.equal(subjectKey({ kind: 'artifact', artifactIds: [9, 3] }), subjectKey({ kind: 'artifact', artifactIds: [3, 9] }));
  assert.notEqual(subjectKey({ kind: 'run', runId: 3 }), subjectKey({ kind: 'artifact', artifactIds: [3] }));
  assert.equal(subjectName({ kind: 'artifact', artifactIds: [7] }, GRAPH, relative), '.mlops/artifacts/t/model');
  assert.equal(subjectName({ kind: 'artifact', artifactIds: [7] }, undefined, relative), 'artifact #7');
});

test('the contract refuses what a page must not send', () => {
  assert.ok(isFromWebviewMessage({ type: 'setDirection', payload: { direction: 'down' } }));
  assert.ok(!isFromWebviewMessage({ type: 'setDirection', payload: { direction: 'sideways' } }));
  assert.ok(!isFromWebviewMessage({ type: 'open', payload: { nodeId: 5 } }));
  assert.ok(!isLineageState({ subject: { kind: 'artifact', artifactIds: [] }, direction: 'both' }), 'an artifact subject names at least one');
  assert.ok(!isLineageState({ subject: { kind: 'run', runId: 0 }, direction: 'both' }));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionRecord, LinkedArtifact } from '../../src/core/store/types';
import { artifactEntries } from '../../src/extension/runs/artifactEntries';
import { runPickItems } from '../../src/extension/runs/runChoices';
import { parseReproduceCheck, reproduceCheckInvocation, reproduceConfirmation } from '../../src/extension/runs/reproduceCheck';
import type { Difference } from '../../src/core/reproduce/differences';

function execution(id: number, component: string): ExecutionRecord {
  return { id, runId: 1, component, type: component, status: 'complete', startedAt: 0, endedAt: 1, cacheKey: null, error: null, properties: {} };
}

function link(id: number, executionId: number, role: 'input' | 'output', name: string): LinkedArtifact {
  return { id, type: 'Examples', uri: `/a/${id}`, contentHash: null, sizeBytes: 1, properties: {}, state: 'live', createdAt: 0, executionId, role, name };
}

test('an artifact read by several components is one row, named by its producer, listing its readers', () => {
  const entries = artifactEntries({
    executions: [execution(1, 'ingest'), execution(2, 'statistics'), execution(3, 'transform'), execution(4, 'evaluate')],
    artifacts: [
      link(7, 1, 'input', 'train/day1.csv'),
      link(9, 1, 'output', 'examples'),
      link(9, 2, 'input', 'ingest.examples'),
      link(9, 3, 'input', 'ingest.examples'),
      link(9, 4, 'input', 'ingest.examples'),
      link(10, 2, 'output', 'statistics'),
    ],
  });
  assert.deepEqual(
    entries.map((e) => [e.artifact.id, e.label, e.producer, e.consumers]),
    [
      [7, 'train/day1.csv', undefined, ['ingest']],
      [9, 'ingest.examples', 'ingest', ['statistics', 'transform', 'evaluate']],
      [10, 'statistics.statistics', 'statistics', []],
    ],
  );
  assert.equal(new Set(entries.map((e) => e.artifact.id)).size, entries.length, 'one row per artifact: tree ids are unique');
});

test("an input met before its producer still ends as the producer's row", () => {
  const [entry] = artifactEntries({
    executions: [execution(1, 'ingest'), execution(2, 'statistics')],
    artifacts: [link(9, 2, 'input', 'ingest.examples'), link(9, 1, 'output', 'examples')],
  });
  assert.deepEqual([entry.label, entry.producer, entry.artifact.role, entry.consumers], ['ingest.examples', 'ingest', 'output', ['statistics']]);
});

test('a run picker lists every run newest first, a running one in its place', () => {
  const now = Date.UTC(2026, 11, 6, 12);
  const items = runPickItems(
    [
      { id: 3, pipeline: 'taxi', status: 'complete', startedAt: now - 60_000, trail: '12 metrics' },
      { id: 5, pipeline: 'taxi', status: 'running', startedAt: now, trail: 'no metric yet' },
      { id: 4, pipeline: 'taxi', status: 'complete', startedAt: now - 30_000, lead: 'trial of #3' },
    ],
    now,
  );
  assert.deepEqual(
    items.map((i) => i.runId),
    [5, 4, 3],
  );
  assert.equal(items[0].description, 'running · just now · no metric yet');
  assert.equal(items[1].description, 'trial of #3 · complete · just now');
});

test('Reproduce Run reads the dry run of the CLI and words its refusal as a modal with every difference', () => {
  const invocation = reproduceCheckInvocation({
    nodePath: '/node',
    cliPath: '/ext/dist/cli.js',
    storePath: '/ws/s.sqlite',
    cwd: '/ws',
    baseEnv: {},
    runId: 12,
  });
  assert.deepEqual(invocation.args, ['/ext/dist/cli.js', 'reproduce', '12', '--dry-run', '--json', '--store', '/ws/s.sqlite']);
  assert.equal(parseReproduceCheck('error: no run #12'), undefined);
  assert.equal(parseReproduceCheck('{"run": 12}'), undefined);
  const difference = (blocking: boolean, message: string): Difference => ({ kind: 'data', blocking, subject: 'x', recorded: null, current: null, message });
  const check = parseReproduceCheck(
    JSON.stringify({
      run: 12,
      differences: [difference(true, 'data file data/train.csv changed'), difference(false, 'script report.js was edited since run #12')],
      verifiable: true,
      reproduced: false,
    }),
  );
  assert.ok(check);
  assert.deepEqual(reproduceConfirmation(check), {
    message: 'Run #12 cannot be reproduced as it ran: 1 difference.',
    detail: [
      '✗ data file data/train.csv changed',
      '· script report.js was edited since run #12',
      '',
      "Reproduce Anyway runs it with the data and code as they are now, and compares its model with the original's.",
    ].join('\n'),
  });
});

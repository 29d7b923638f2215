import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as readline from 'node:readline';
import { INTERRUPTED_MESSAGE, RunStore } from '../../../src/core/store';
import { deadPid, FakeClock, newRun, openTempStore, STORE_MODULE } from './helpers';

/**
 * A real pipeline process: it records a run under its own pid, starts training, logs metrics and
 * begins writing a model, then reports its ids and waits to be killed.
 */
const PIPELINE_PROCESS = `
  const { RunStore } = require(${JSON.stringify(STORE_MODULE)});
  const store = RunStore.open(process.argv[1]);
  const run = store.createRun(${JSON.stringify(newRun())});
  const ingest = store.startExecution(run.id, 'ingest', 'ingest');
  const examples = store.createArtifact({ type: 'Examples', uri: '/s/examples' });
  store.linkArtifact(ingest.id, examples.id, 'output', 'examples');
  store.publishArtifact(examples.id, { contentHash: 'sha256:e', sizeBytes: 1 });
  store.finishExecution(ingest.id, 'complete');
  const train = store.startExecution(run.id, 'train', 'train');
  const model = store.createArtifact({ type: 'Model', uri: '/s/model' });
  store.linkArtifact(train.id, model.id, 'output', 'model');
  const logger = store.metricLogger(run.id, train.id, { maxPoints: 2 });
  logger.log({ loss: 0.9, acc: 0.6 }, 0);
  console.log(JSON.stringify({ runId: run.id, ingestId: ingest.id, trainId: train.id, examplesId: examples.id, modelId: model.id }));
  setInterval(() => {}, 1000);
`;

test('a run whose process was killed with SIGKILL is recovered as interrupted', async () => {
  const { store, path: storePath } = openTempStore();
  const child = spawn(process.execPath, ['-e', PIPELINE_PROCESS, storePath], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(readline.createInterface({ input: child.stdout }), 'line')) as [string];
  const ids = JSON.parse(line) as Record<'runId' | 'ingestId' | 'trainId' | 'examplesId' | 'modelId', number>;

  assert.equal(store.getRun(ids.runId)?.pid, child.pid);
  assert.deepEqual(store.recoverInterrupted(), [], 'alive: left alone');
  child.kill('SIGKILL');
  const [, signal] = await once(child, 'exit');
  assert.equal(signal, 'SIGKILL');

  assert.deepEqual(store.recoverInterrupted(), [ids.runId]);
  const details = store.getRunDetails(ids.runId);
  assert.ok(details);
  const lastMetric = store.metricHistory(ids.runId, 'loss')[0].timestamp;
  assert.deepEqual(
    [details.run.status, details.run.error, details.run.endedAt],
    ['interrupted', INTERRUPTED_MESSAGE, Math.max(lastMetric, details.executions[1].startedAt ?? 0)],
  );
  assert.deepEqual(
    details.executions.map((e) => [e.component, e.status, e.error]),
    [
      ['ingest', 'complete', null],
      ['train', 'failed', INTERRUPTED_MESSAGE],
    ],
  );
  assert.deepEqual(
    details.artifacts.map((a) => [a.id, a.state]),
    [
      [ids.examplesId, 'live'],
      [ids.modelId, 'abandoned'],
    ],
  );
  assert.deepEqual(store.recoverInterrupted(), [], 'recovered once');
  assert.deepEqual(store.integrityCheck(), []);
  store.close();
});

test('runs of live processes, other hosts and finished runs are left alone', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const mine = store.createRun(newRun());
  const elsewhere = store.createRun(newRun({ pid: deadPid(), hostname: 'another-machine' }));
  const finished = store.createRun(newRun({ pid: deadPid() }));
  store.finishRun(finished.id, 'complete');
  const dead = store.createRun(newRun({ pid: deadPid(), startedAt: clock.time - 5000 }));

  assert.deepEqual(store.recoverInterrupted(), [dead.id]);
  assert.deepEqual(
    [mine, elsewhere, finished, dead].map((r) => store.getRun(r.id)?.status),
    ['running', 'running', 'complete', 'interrupted'],
  );
  assert.equal(store.getRun(dead.id)?.endedAt, clock.time - 5000, 'no sign of life after its start');
  store.close();
});

test('a reader that cannot write shows a dead run as interrupted, as the next writer will record it, and writes nothing', () => {
  const clock = new FakeClock();
  const { store: writer, path: storePath } = openTempStore({ now: clock.now });
  const alive = writer.createRun(newRun());
  const dead = writer.createRun(newRun({ pid: deadPid(), startedAt: clock.time - 5000 }));
  const train = writer.startExecution(dead.id, 'train', 'train');
  writer.close();

  const reader = RunStore.open(storePath, { readonly: true, now: clock.now });
  const seen = reader.getRun(dead.id);
  assert.deepEqual([seen?.status, seen?.error, seen?.endedAt], ['interrupted', INTERRUPTED_MESSAGE, clock.time]);
  assert.equal(reader.getRun(alive.id)?.status, 'running', 'a live process is left alone');
  assert.deepEqual(
    reader.listRuns().runs.map((r) => [r.id, r.status]),
    [
      [alive.id, 'running'],
      [dead.id, 'interrupted'],
    ],
  );
  assert.deepEqual(
    reader.getRuns([dead.id]).map((r) => r.status),
    ['interrupted'],
  );
  const details = reader.getRunDetails(dead.id);
  assert.deepEqual(
    details?.executions.map((e) => [e.id, e.status, e.error]),
    [[train.id, 'failed', INTERRUPTED_MESSAGE]],
  );
  reader.close();

  const again = RunStore.open(storePath, { readonly: true });
  assert.equal(again.getRun(dead.id)?.status, 'interrupted');
  again.close();
  const raw = RunStore.open(storePath);
  assert.deepEqual(raw.recoverInterrupted(), [dead.id], 'the reader left the recovery to a writer');
  raw.close();
});

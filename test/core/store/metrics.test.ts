import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { MetricLogger, RunStore, type MetricPoint } from '../../../src/core/store';
import { FakeClock, newRun, openTempStore } from './helpers';

test('logMetrics writes a batch; missing steps are 0 and missing timestamps the time of the call', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const run = store.createRun(newRun());
  const train = store.startExecution(run.id, 'train', 'train');
  store.logMetrics(run.id, train.id, [
    { key: 'loss', value: 0.7, step: 1, timestamp: 5 },
    { key: 'loss', value: 0.9 },
    { key: 'acc', value: 0.5, step: 1 },
  ]);
  assert.deepEqual(store.metricHistory(run.id, 'loss'), [
    { runId: run.id, executionId: train.id, key: 'loss', step: 0, value: 0.9, timestamp: clock.time },
    { runId: run.id, executionId: train.id, key: 'loss', step: 1, value: 0.7, timestamp: 5 },
  ]);
  assert.deepEqual(store.metricHistory(run.id, 'nothing'), []);
  store.close();
});

test('NaN and infinities survive the round trip', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  store.logMetrics(run.id, null, [
    { key: 'loss', value: Number.NaN, step: 0 },
    { key: 'loss', value: Number.POSITIVE_INFINITY, step: 1 },
    { key: 'loss', value: Number.NEGATIVE_INFINITY, step: 2 },
  ]);
  assert.deepEqual(
    store.metricHistory(run.id, 'loss').map((m) => m.value),
    [Number.NaN, Infinity, -Infinity],
  );
  store.logMetrics(run.id, null, [{ key: 'loss', value: Number.NaN, step: 3 }]);
  assert.deepEqual(store.getRunDetails(run.id)?.metrics[0].value, Number.NaN);
  store.close();
});

test('logMetrics is all or nothing and rejects an execution of another run', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  const other = store.createRun(newRun());
  const foreign = store.startExecution(other.id, 'train', 'train');
  assert.throws(() => store.logMetrics(run.id, foreign.id, [{ key: 'loss', value: 1 }]), /execution 1 is not part of run 1/);
  assert.throws(() => store.logMetrics(99, null, [{ key: 'loss', value: 1 }]), /FOREIGN KEY/);
  assert.throws(
    () =>
      store.logMetrics(run.id, null, [
        { key: 'loss', value: 1 },
        { key: null as unknown as string, value: 2 },
      ]),
    /NOT NULL/,
  );
  assert.deepEqual(store.metricHistory(run.id, 'loss'), [], 'the failed batch left nothing');
  store.close();
});

test('logParams stores strings as given and other values as JSON, replacing earlier values', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  store.logParams(run.id, { optimizer: 'adam', learning_rate: 0.001, hidden: [64, 32], early_stopping: true, note: null });
  store.logParams(run.id, { optimizer: 'sgd' });
  assert.deepEqual(store.getRunDetails(run.id)?.params, {
    early_stopping: 'true',
    hidden: '[64,32]',
    learning_rate: '0.001',
    note: 'null',
    optimizer: 'sgd',
  });
  store.close();
});

test('setTags sets, replaces and (with null) removes tags', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  store.setTags(run.id, { owner: 'ana', stage: 'dev' });
  store.setTags(run.id, { owner: 'bo', stage: null });
  assert.deepEqual(store.getRunDetails(run.id)?.tags, { owner: 'bo' });
  store.close();
});

function pointsOf(store: RunStore, runId: number): number {
  return store.getRunDetails(runId)?.metrics.reduce((n, m) => n + m.points, 0) ?? 0;
}

test('MetricLogger flushes every maxPoints points, on flush() and on close()', () => {
  const clock = new FakeClock();
  const { store } = openTempStore({ now: clock.now });
  const run = store.createRun(newRun());
  const train = store.startExecution(run.id, 'train', 'train');
  const logger = store.metricLogger(run.id, train.id, { maxPoints: 4, maxDelayMs: 60_000 });
  logger.log({ loss: 0.9, acc: 0.5 }, 0);
  assert.equal(pointsOf(store, run.id), 0, 'buffered');
  clock.advance(100);
  logger.log({ loss: 0.8, acc: 0.6 }, 1);
  assert.equal(pointsOf(store, run.id), 4, 'flushed at 4 points');
  logger.log({ loss: 0.7 }, 2);
  logger.flush();
  assert.equal(pointsOf(store, run.id), 5);
  logger.log({ loss: 0.6 }, 3);
  logger.close();
  logger.close();
  assert.deepEqual(
    store.metricHistory(run.id, 'loss').map((m) => [m.step, m.value, m.timestamp, m.executionId]),
    [
      [0, 0.9, clock.time - 100, train.id],
      [1, 0.8, clock.time, train.id],
      [2, 0.7, clock.time, train.id],
      [3, 0.6, clock.time, train.id],
    ],
    'each point keeps the time it was logged',
  );
  assert.throws(() => logger.log({ loss: 0 }), /closed/);
  store.close();
});

test('MetricLogger flushes maxDelayMs after the first buffered point', async () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  const logger = store.metricLogger(run.id, null, { maxPoints: 1000, maxDelayMs: 20 });
  logger.log({ loss: 1 }, 0);
  await sleep(80);
  assert.equal(pointsOf(store, run.id), 1);
  logger.close();
  store.close();
});

test('closing the store flushes its open loggers', () => {
  const { store, path: storePath } = openTempStore();
  const run = store.createRun(newRun());
  store.metricLogger(run.id, null).log({ loss: 1, acc: 0.5 }, 0);
  store.close();
  const reopened = RunStore.open(storePath);
  assert.equal(pointsOf(reopened, run.id), 2);
  reopened.close();
});

test('a failed timed flush is rethrown by the next call, and its points are kept for a retry', async () => {
  const written: MetricPoint[][] = [];
  let failing = true;
  const logger = new MetricLogger(
    (points) => {
      if (failing) throw new Error('store is locked');
      written.push(points);
    },
    () => 7,
    () => undefined,
    { maxDelayMs: 5 },
  );
  logger.log({ loss: 1 }, 0);
  await sleep(40);
  assert.throws(() => logger.log({ loss: 2 }, 1), /store is locked/);
  failing = false;
  logger.log({ loss: 2 }, 1);
  logger.close();
  assert.deepEqual(written, [
    [
      { key: 'loss', value: 1, step: 0, timestamp: 7 },
      { key: 'loss', value: 2, step: 1, timestamp: 7 },
    ],
  ]);
});

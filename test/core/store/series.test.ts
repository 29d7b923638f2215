import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRun, openTempStore } from './helpers';

test('metricKeys lists each key once, sorted, however many points it has', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  const other = store.createRun(newRun());
  store.logMetrics(run.id, null, [
    ...Array.from({ length: 50 }, (_, i) => ({ key: 'batch_loss', value: 1 / (i + 1), step: i + 1 })),
    { key: 'val_loss', value: 0.5, step: 1 },
    { key: 'loss', value: 0.6, step: 1 },
  ]);
  store.logMetrics(other.id, null, [{ key: 'zzz', value: 1 }]);
  assert.deepEqual(store.metricKeys(run.id), ['batch_loss', 'loss', 'val_loss']);
  assert.deepEqual(store.metricKeys(999), []);
  store.close();
});

test('metricPoints pages in step order and a cursor returns only what was logged since', () => {
  const { store } = openTempStore();
  const run = store.createRun(newRun());
  store.logMetrics(run.id, null, [
    { key: 'loss', value: 0.3, step: 3 },
    { key: 'loss', value: 0.9, step: 1 },
    { key: 'loss', value: 0.5, step: 2 },
    { key: 'acc', value: 0.1, step: 1 },
  ]);
  const first = store.metricPoints(run.id, 'loss', null, 2);
  assert.deepEqual([first.steps, first.values, first.done], [[1, 2], [0.9, 0.5], false]);
  const rest = store.metricPoints(run.id, 'loss', first.cursor, 2);
  assert.deepEqual([rest.steps, rest.values, rest.done], [[3], [0.3], true]);
  const none = store.metricPoints(run.id, 'loss', rest.cursor);
  assert.deepEqual([none.steps, none.cursor, none.done], [[], rest.cursor, true]);
  // A point logged again at the last step (a resumed epoch) and new steps come after the cursor.
  store.logMetrics(run.id, null, [
    { key: 'loss', value: 0.25, step: 3 },
    { key: 'loss', value: Number.NaN, step: 4 },
  ]);
  const since = store.metricPoints(run.id, 'loss', rest.cursor);
  assert.deepEqual(since.steps, [3, 4]);
  assert.equal(since.values[0], 0.25);
  assert.ok(Number.isNaN(since.values[1]), 'NaN survives');
  store.close();
});

test('finalMetrics: the value at the highest step of every key, per run, and which keys are curves', () => {
  const { store } = openTempStore();
  const a = store.createRun(newRun());
  const b = store.createRun(newRun());
  const empty = store.createRun(newRun());
  store.logMetrics(a.id, null, [
    { key: 'val_loss', value: 0.9, step: 1 },
    { key: 'val_loss', value: 0.4, step: 2 },
    { key: 'auc', value: 0.8, step: 2 },
  ]);
  store.logMetrics(b.id, null, [{ key: 'val_loss', value: 0.7, step: 5 }]);
  store.logMetrics(b.id, null, [{ key: 'val_loss', value: 0.6, step: 5 }]);
  const final = store.finalMetrics([a.id, b.id, empty.id]);
  assert.deepEqual(final.get(a.id), { auc: { value: 0.8, step: 2, curve: false }, val_loss: { value: 0.4, step: 2, curve: true } });
  assert.deepEqual(final.get(b.id), { val_loss: { value: 0.6, step: 5, curve: false } }, 'two points at one step are no curve; the later one counts');
  assert.deepEqual(final.get(empty.id), {});
  store.close();
});

test('getRuns, paramsOfRuns and childRunCounts answer for a set of runs at once', () => {
  const { store } = openTempStore();
  const tuning = store.createRun(newRun());
  const plain = store.createRun(newRun());
  const trials = [1, 2, 3].map((i) => {
    const t = store.createRun(newRun({ parentRunId: tuning.id }));
    store.logParams(t.id, { learning_rate: 10 ** -i, 'model.hidden': [64, 32] });
    return t.id;
  });
  assert.deepEqual(
    store.getRuns([trials[2], 999, tuning.id]).map((r) => r.id),
    [trials[2], tuning.id],
  );
  assert.equal(store.getRuns([trials[0]])[0].parentRunId, tuning.id);
  const params = store.paramsOfRuns([trials[0], plain.id]);
  assert.deepEqual(params.get(trials[0]), { learning_rate: '0.1', 'model.hidden': '[64,32]' });
  assert.deepEqual(params.get(plain.id), {});
  assert.deepEqual([...store.childRunCounts([tuning.id, plain.id])], [[tuning.id, 3]]);
  store.close();
});

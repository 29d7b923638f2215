import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WindowInfo, WindowReport } from '../../../src/core/monitor';
import { FakeClock, openTempStore } from './helpers';

const info = (n: number, model = 'taxi', version = 1): WindowInfo => ({
  key: `v${version}/rows@r${n}`,
  model,
  version,
  start: n * 1000,
  end: n * 1000 + 999,
  rows: 100,
});

function report(n: number, overrides: Partial<WindowReport> = {}): WindowReport {
  return {
    window: info(n),
    labelled: 0,
    latency: { p50: 1, p99: 4, mean: 1.5 },
    drift: [],
    predictionDrift: [],
    invalid: {},
    notes: [],
    ...overrides,
  };
}

describe('stored monitor windows', () => {
  it('keeps one report per window: checking a window again replaces it', () => {
    const clock = new FakeClock();
    const { store } = openTempStore({ now: clock.now });
    const first = store.recordWindow(report(1));
    clock.advance(5000);
    const again = store.recordWindow(report(1, { labelled: 40, notes: ['checked again'] }));
    assert.equal(again.id, first.id);
    const windows = store.listWindows({ model: 'taxi' });
    assert.equal(windows.length, 1);
    assert.equal(windows[0].report.labelled, 40);
    assert.deepEqual(windows[0].report.notes, ['checked again']);
    assert.equal(windows[0].checkedAt, clock.time);
    store.close();
  });

  it('lists a model’s newest windows oldest first, from a time on, at most limit', () => {
    const { store } = openTempStore();
    for (const n of [3, 1, 2, 5, 4]) store.recordWindow(report(n));
    store.recordWindow({ ...report(9), window: info(9, 'adult') });
    const keys = (ws: { report: WindowReport }[]) => ws.map((w) => w.report.window.key);
    assert.deepEqual(keys(store.listWindows({ model: 'taxi' })), ['v1/rows@r1', 'v1/rows@r2', 'v1/rows@r3', 'v1/rows@r4', 'v1/rows@r5']);
    assert.deepEqual(keys(store.listWindows({ model: 'taxi', limit: 2 })), ['v1/rows@r4', 'v1/rows@r5']);
    assert.deepEqual(keys(store.listWindows({ model: 'taxi', since: 4000 })), ['v1/rows@r4', 'v1/rows@r5']);
    assert.deepEqual(store.monitoredModels(), ['adult', 'taxi']);
    store.close();
  });

  it('stores a value JSON cannot hold (an unbounded pressure, a NaN metric) as null, not as an error', () => {
    const { store } = openTempStore();
    const drifted = report(1, {
      drift: [
        { feature: 'fare', kind: 'drift', method: 'ks', value: Infinity, pValue: 0, threshold: 0.01, fired: true, current: 'serving', reference: 'training' },
      ],
      metrics: { task: 'binary', online: { auc: NaN, accuracy: 0.8 }, checks: [] },
    });
    store.recordWindow(drifted);
    const [stored] = store.listWindows({ model: 'taxi' });
    assert.equal(stored.report.drift[0].value, null);
    assert.equal(stored.report.metrics?.online.auc, null);
    assert.equal(stored.report.metrics?.online.accuracy, 0.8);
    store.close();
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AlertRecord, StoredWindow } from '../../src/core/monitor/types';
import { buildMonitoringView, PRESSURE_CAP, settingsText, toAlertView, toCheck, toMetrics, toWindowPoint } from '../../src/extension/monitoring/collect';
import { actionText, alertNotification, alertText } from '../../src/extension/monitoring/notification';
import { MonitorSettingsReader } from '../../src/extension/monitoring/settings';
import { isMonitoringFromWebviewMessage, isMonitoringState, isMonitoringToWebviewMessage } from '../../src/shared/monitoring';
import type { ServingInfo, TrafficPoint, WindowPoint } from '../../src/shared/monitoring';
import { appendTraffic, metricsOf, mostPressured, shownSubjects, subjectsOf, TOP, TRAFFIC_SPAN_MS, versionChanges } from '../../src/shared/monitoringView';
import { ALL_FIRED, MONITOR_PIPELINE, MONITOR_SETTINGS, windowReport } from '../fixtures/monitoring/store';
import { tempDir } from '../helpers/tmp';

const START = Date.UTC(2025, 2, 3, 12, 0, 0);
const stored = (model: string, version: number, n: number, drifted = false): StoredWindow => ({
  id: n + 1,
  // Through JSON, as the store keeps it.
  report: JSON.parse(JSON.stringify(windowReport(model, version, n, { start: START, fired: drifted ? ALL_FIRED : [] }))),
  checkedAt: START + n * 1000,
});

const NOTIFIED = { action: 'notify' as const, outcome: 'done' as const, detail: 'stored for the editor to show', runId: null, at: START };

/** An alert of a pipeline with `notify` among its actions (given `actions` come after the notify). */
function alert(id: number, o: Partial<AlertRecord> = {}): AlertRecord {
  const w = stored('taxi', 3, 5, true).report.window;
  return {
    id,
    model: 'taxi',
    version: 3,
    kind: 'drift',
    subject: 'fare',
    method: 'wasserstein',
    value: 0.42,
    threshold: 0.1,
    window: w,
    message: 'fare: wasserstein 0.42 > 0.1',
    createdAt: START + id,
    ...o,
    actions: [NOTIFIED, ...(o.actions ?? [])],
  };
}

const SERVING: ServingInfo = { state: 'serving', url: 'http://127.0.0.1:8501', version: 3, startedAt: START, monitoring: true, error: null };
const point = (at: number): TrafficPoint => ({ at, requestsPerSecond: 12, errorsPerSecond: 0.5, rowsPerSecond: 30, p50Ms: 2, p99Ms: null, version: 3 });

test('drift checks: pressure is value / threshold for distances, threshold / p-value for ks and chi2', () => {
  const base = { kind: 'skew' as const, fired: false, current: 'served', reference: 'training' };
  assert.deepEqual(toCheck({ ...base, feature: 'fare', method: 'wasserstein', value: 0.05, threshold: 0.1 }), {
    subject: 'fare',
    method: 'wasserstein',
    value: 0.05,
    pValue: null,
    threshold: 0.1,
    fired: false,
    pressure: 0.5,
  });
  const ks = toCheck({ ...base, feature: 'hour', method: 'ks', value: 0.2, pValue: 0.01, threshold: 0.05, fired: true });
  assert.equal(ks.pressure, 5);
  assert.equal(ks.pValue, 0.01);
  const chi2 = toCheck({ ...base, feature: 'payment', method: 'chi2', value: 3, pValue: 0.5, threshold: 0.05 });
  assert.equal(chi2.pressure, 0.1);
  // A p-value of 0, and an infinite distance the store kept as null: past the threshold, drawn at the cap.
  assert.equal(toCheck({ ...base, feature: 'a', method: 'ks', value: 1, pValue: 0, threshold: 0.05, fired: true }).pressure, PRESSURE_CAP);
  const infinite = toCheck({ ...base, feature: 'b', method: 'psi', value: null, threshold: 0.2, fired: true });
  assert.deepEqual([infinite.value, infinite.pressure], [null, PRESSURE_CAP]);
  // Without a threshold nothing presses.
  assert.equal(toCheck({ ...base, feature: 'c', method: 'jsd', value: 0.3 }).pressure, null);
});

test("online metrics: offline values beside them, value and change bounds, the bounds' outcome", () => {
  const metrics = toMetrics({
    task: 'binary',
    online: { accuracy: 0.7, auc: null, recall: 0.6 },
    offline: { accuracy: 0.875, auc: 0.91 },
    checks: [
      { metric: 'accuracy', slice: 'Overall', kind: 'value', outcome: 'failed', value: 0.7, lower: 0.8, reason: '' },
      {
        metric: 'accuracy',
        slice: 'Overall',
        kind: 'change',
        outcome: 'failed',
        value: 0.7,
        baseline: 0.875,
        change: -0.175,
        absolute: -0.0625,
        direction: 'higher',
        reason: '',
      },
      { metric: 'auc', slice: 'Overall', kind: 'value', outcome: 'failed', value: null, lower: 0.8, upper: 0.99, reason: '' },
      { metric: 'log_loss', slice: 'Overall', kind: 'change', outcome: 'skipped', value: 0.4, relative: 0.1, direction: 'lower', reason: '' },
    ],
  });
  assert.deepEqual(metrics, [
    // The change bound read as a value: at least offline − 0.0625 = 0.8125, above the value bound 0.8.
    { metric: 'accuracy', online: 0.7, offline: 0.875, lower: 0.8125, upper: null, passed: false },
    { metric: 'auc', online: null, offline: 0.91, lower: 0.8, upper: 0.99, passed: false },
    { metric: 'log_loss', online: null, offline: null, lower: null, upper: null, passed: null },
    { metric: 'recall', online: 0.6, offline: null, lower: null, upper: null, passed: null },
  ]);
  const lowerIsBetter = toMetrics({
    task: 'regression',
    online: { rmse: 3 },
    offline: { rmse: 2 },
    checks: [
      { metric: 'rmse', slice: 'Overall', kind: 'change', outcome: 'failed', value: 3, baseline: 2, change: 1, relative: 0.25, direction: 'lower', reason: '' },
    ],
  });
  assert.deepEqual(lowerIsBetter[0], { metric: 'rmse', online: 3, offline: 2, lower: null, upper: 2.5, passed: false });
  assert.deepEqual(toMetrics(undefined), []);
});

test("a stored window becomes a point of the time series; the view counts each window's alerts", () => {
  const w = toWindowPoint(stored('taxi', 3, 5, true), 2);
  assert.equal(w.key, 'v3/rows@r5000');
  assert.deepEqual([w.version, w.rows, w.labelled, w.alerts], [3, 1000, 400, 2]);
  assert.equal(w.end - w.start, 5 * 60_000 - 1);
  assert.deepEqual(
    w.drift.map((c) => [c.subject, c.fired]),
    [
      ['fare', true],
      ['trip_miles', false],
      ['payment_type', false],
      ['company', false],
      ['trip_start_hour', false],
      ['pickup_community_area', false],
    ],
  );
  assert.ok(Math.abs(w.drift[0].pressure! - 4.2) < 1e-9);
  assert.deepEqual(
    w.predictionDrift.map((c) => [c.subject, c.fired]),
    [['score', true]],
  );
  assert.deepEqual(
    w.metrics.find((m) => m.metric === 'accuracy'),
    { metric: 'accuracy', online: 0.74, offline: 0.86, lower: 0.8, upper: null, passed: false },
  );

  const windows = [stored('taxi', 2, 0), stored('taxi', 3, 5, true)];
  const alerts = [alert(2, { window: windows[1].report.window }), alert(1, { window: windows[1].report.window, subject: 'score', kind: 'prediction_drift' })];
  const view = buildMonitoringView({
    model: 'taxi',
    models: ['adult', 'taxi', 'adult'],
    production: 3,
    serving: null,
    traffic: [point(1)],
    windows,
    alerts,
    settings: MONITOR_SETTINGS,
  });
  assert.deepEqual(view.models, ['adult', 'taxi']);
  assert.deepEqual(
    view.windows.map((x) => x.alerts),
    [0, 2],
  );
  assert.deepEqual(view.traffic, [], 'no live traffic when this window does not serve the model');
  assert.deepEqual(
    view.alerts.map((a) => a.id),
    [2, 1],
  );
  const served = buildMonitoringView({
    model: 'new',
    models: [],
    production: null,
    serving: SERVING,
    traffic: [point(1)],
    windows: [],
    alerts: [],
    settings: null,
  });
  assert.deepEqual(served.models, ['new']);
  assert.equal(served.traffic.length, 1);
});

test('alerts: the window they came from and every action with its run', () => {
  const view = toAlertView(alert(7, { actions: [{ action: 'retrain', outcome: 'done', detail: 'run #12 started', runId: 12, at: START + 5 }] }));
  assert.equal(view.windowKey, 'v3/rows@r5000');
  assert.equal(view.windowEnd, START + 6 * 5 * 60_000 - 1);
  assert.deepEqual(
    view.actions.map((a) => [a.action, a.runId]),
    [
      ['notify', null],
      ['retrain', 12],
    ],
  );
  assert.equal((view as unknown as Record<string, unknown>).window, undefined);
});

test('monitor settings in one line, from the pipeline file (read again when it changes)', async () => {
  assert.equal(settingsText({ window: { ms: 3_600_000, text: '1h' }, minRows: 200, actions: [], metrics: [] }), 'windows of 1h (min_rows 200) · actions: none');
  const dir = tempDir();
  const file = path.join(dir, 'taxi.pipeline.yaml');
  fs.writeFileSync(file, MONITOR_PIPELINE('taxi'));
  const reader = new MonitorSettingsReader();
  assert.deepEqual(await reader.read(file), { text: MONITOR_SETTINGS });
  fs.writeFileSync(file, MONITOR_PIPELINE('taxi').replace(/monitor:[\s\S]*$/, ''));
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.deepEqual(await reader.read(file), { text: 'windows of 1,000 rows (min_rows 100) · actions: notify (defaults: the pipeline has no monitor section)' });
  fs.writeFileSync(file, 'pipeline: [');
  fs.utimesSync(file, new Date(), new Date(Date.now() + 10000));
  const broken = await reader.read(file);
  assert.ok('reason' in broken && broken.reason.startsWith(`${file} does not load: `), JSON.stringify(broken));
  assert.deepEqual(await reader.read(path.join(dir, 'gone.yaml')), { reason: `${path.join(dir, 'gone.yaml')} is gone` });
});

test('notification text: one alert with what its actions did', () => {
  const one = alertNotification([
    alert(3, {
      actions: [
        { action: 'retrain', outcome: 'done', detail: 'run #12 started', runId: 12, at: START },
        { action: 'rollback', outcome: 'done', detail: 'production 3 → 2', runId: null, at: START },
      ],
    }),
  ]);
  assert.deepEqual(one, {
    model: 'taxi',
    message: 'MLOps: taxi v3 — fare drift: wasserstein 0.42 > 0.1 · retrain: run #12 started · rollback: production 3 → 2',
  });
  assert.equal(
    alertText({ kind: 'prediction_drift', subject: 'score', message: 'score: ks p-value 0.001 ≤ 0.05' }),
    'score prediction drift: ks p-value 0.001 ≤ 0.05',
  );
  assert.equal(alertText({ kind: 'performance', subject: 'accuracy', message: 'accuracy 0.61 < 0.8 online' }), 'accuracy 0.61 < 0.8 online');
  assert.equal(actionText({ action: 'retrain', outcome: 'failed', detail: 'no pipeline file to run' }), 'retrain failed: no pipeline file to run');
  assert.equal(actionText({ action: 'rollback', outcome: 'started', detail: 'starting' }), 'rollback: starting');
  assert.equal(actionText({ action: 'notify', outcome: 'done', detail: 'stored for the editor to show' }), undefined);
  assert.equal(alertNotification([]), undefined);
  // A pipeline without `notify` in its monitor actions: the alert is the Monitoring panel's only.
  const silent = { ...alert(4), actions: [] };
  assert.equal(alertNotification([silent]), undefined);
  assert.equal(alertNotification([silent, alert(3)])?.message, 'MLOps: taxi v3 — fare drift: wasserstein 0.42 > 0.1');
});

test('notification text: a burst of alerts is one notification naming the first ones', () => {
  const skipped = { action: 'retrain' as const, outcome: 'skipped' as const, detail: 'this window already started run #12 (alert #1)', runId: null, at: START };
  const burst = [
    alert(5, { subject: 'accuracy', kind: 'performance', message: 'accuracy 0.61 < 0.8 online', actions: [skipped] }),
    alert(4, { subject: 'score', kind: 'prediction_drift', message: 'score: wasserstein 0.3 > 0.1', actions: [skipped] }),
    alert(3, { subject: 'company', message: 'company: linf 0.2 > 0.1', actions: [skipped] }),
    alert(2, { subject: 'trip_miles', message: 'trip_miles: jsd 0.2 > 0.1', actions: [skipped] }),
    alert(1, { actions: [{ action: 'retrain', outcome: 'done', detail: 'run #12 started', runId: 12, at: START }] }),
  ];
  assert.deepEqual(alertNotification(burst), {
    model: 'taxi',
    message: 'MLOps: 5 new alerts for taxi v3: fare drift: wasserstein 0.42 > 0.1; trip_miles drift: jsd 0.2 > 0.1 and 3 more · retrain: run #12 started',
  });
  const models = alertNotification([alert(9, { model: 'adult', version: 1, subject: 'age', message: 'age: psi 0.3 > 0.2' }), alert(8)]);
  assert.deepEqual(models, {
    model: 'adult',
    message: 'MLOps: 2 new alerts for taxi and adult: taxi v3 fare drift: wasserstein 0.42 > 0.1; adult v1 age drift: psi 0.3 > 0.2',
  });
});

test("page helpers: the most pressured features, the user's choice, version changes, metrics, live traffic span", () => {
  const windows: WindowPoint[] = [0, 1, 2, 3, 4, 5].map((n) => toWindowPoint(stored('taxi', n < 3 ? 1 : 2, n, n === 5), 0));
  const drift = (w: WindowPoint) => w.drift;
  assert.deepEqual(subjectsOf(windows, drift), ['company', 'fare', 'payment_type', 'pickup_community_area', 'trip_miles', 'trip_start_hour']);
  // fare fired in the last window; ks on trip_start_hour (p 0.3 against 0.05) presses least among the p-value tests.
  assert.deepEqual(mostPressured(windows, drift), ['fare', 'company', 'trip_miles', 'trip_start_hour', 'payment_type']);
  assert.deepEqual(mostPressured(windows, drift, 2), ['fare', 'company']);
  assert.deepEqual(shownSubjects(windows, drift, undefined), mostPressured(windows, drift));
  assert.deepEqual(shownSubjects(windows, drift, [TOP]), mostPressured(windows, drift));
  assert.deepEqual(shownSubjects(windows, drift, ['trip_miles', 'gone']), ['trip_miles']);
  assert.deepEqual(shownSubjects(windows, drift, ['gone']), mostPressured(windows, drift), 'a choice of features no longer there falls back');
  assert.deepEqual(versionChanges(windows), [{ at: windows[3].start, version: 2 }]);
  assert.deepEqual(metricsOf(windows), ['accuracy', 'auc'], 'bounded first');

  const kept = appendTraffic([point(0), point(1000), point(TRAFFIC_SPAN_MS)], point(TRAFFIC_SPAN_MS + 500));
  assert.deepEqual(
    kept.map((p) => p.at),
    [1000, TRAFFIC_SPAN_MS, TRAFFIC_SPAN_MS + 500],
  );
});

test('the contract accepts what collect builds and rejects malformed messages both ways', () => {
  const windows = [stored('taxi', 2, 0), stored('taxi', 3, 5, true)];
  const view = buildMonitoringView({
    model: 'taxi',
    models: ['taxi'],
    production: 3,
    serving: SERVING,
    traffic: [point(1)],
    windows,
    alerts: [alert(1, { actions: [{ action: 'retrain', outcome: 'started', detail: 'starting', runId: null, at: START }] })],
    settings: MONITOR_SETTINGS,
  });
  const message = { type: 'view', payload: view };
  assert.ok(isMonitoringToWebviewMessage(message));
  // Through structured clone / JSON, as postMessage and setState carry it.
  assert.ok(isMonitoringToWebviewMessage(JSON.parse(JSON.stringify(message))));
  assert.ok(isMonitoringToWebviewMessage({ type: 'traffic', payload: { model: 'taxi', point: point(2), serving: SERVING } }));
  assert.ok(isMonitoringToWebviewMessage({ type: 'empty', payload: { model: 'taxi', message: 'nothing yet' } }));
  assert.ok(isMonitoringState({ model: 'taxi', view, driftFeatures: ['fare'], metric: 'accuracy' }));

  const broken = (mutate: (v: typeof view) => void) => {
    const copy = JSON.parse(JSON.stringify(view)) as typeof view;
    mutate(copy);
    return isMonitoringToWebviewMessage({ type: 'view', payload: copy });
  };
  assert.equal(
    broken((v) => delete (v.windows[0] as Partial<WindowPoint>).key),
    false,
  );
  assert.equal(
    broken((v) => ((v.windows[1].drift[0] as { pressure: unknown }).pressure = 'high')),
    false,
  );
  assert.equal(
    broken((v) => ((v.alerts[0] as { kind: string }).kind = 'latency')),
    false,
  );
  assert.equal(
    broken((v) => ((v.alerts[0].actions[0] as { outcome: string }).outcome = 'maybe')),
    false,
  );
  assert.equal(
    broken((v) => ((v.serving as { state: string }).state = 'up')),
    false,
  );
  assert.equal(
    broken((v) => ((v as { production: unknown }).production = 2.5)),
    false,
  );
  assert.equal(isMonitoringToWebviewMessage({ type: 'traffic', payload: { model: 'taxi', point: { at: 1 }, serving: SERVING } }), false);
  assert.equal(isMonitoringToWebviewMessage({ type: 'refresh', payload: {} }), false);
  assert.equal(isMonitoringToWebviewMessage(null), false);
  assert.equal(isMonitoringState({ view }), false);

  assert.ok(isMonitoringFromWebviewMessage({ type: 'ready', payload: {} }));
  assert.ok(isMonitoringFromWebviewMessage({ type: 'startServing', payload: { model: 'taxi' } }));
  assert.ok(isMonitoringFromWebviewMessage({ type: 'openRun', payload: { runId: 12 } }));
  assert.ok(
    isMonitoringFromWebviewMessage({
      type: 'rendered',
      payload: { model: 'taxi', windows: 2, alerts: 1, traffic: 0, charts: ['drift', 'metric'], empty: null },
    }),
  );
  assert.equal(isMonitoringFromWebviewMessage({ type: 'openRun', payload: { runId: '12' } }), false);
  assert.equal(isMonitoringFromWebviewMessage({ type: 'sendTestRequest', payload: {} }), false);
  assert.equal(isMonitoringFromWebviewMessage({ type: 'rendered', payload: { model: 'taxi', windows: 2 } }), false);
  assert.ok(isMonitoringFromWebviewMessage({ type: 'log', payload: { level: 'info', message: 'x' } }), 'the log line every page sends');
  assert.equal(isMonitoringFromWebviewMessage({ type: 'log', payload: { level: 'debug', message: 'x' } }), false);
  assert.equal(isMonitoringFromWebviewMessage({ type: 'log', payload: { level: 'warn' } }), false);
  assert.equal(isMonitoringFromWebviewMessage({ type: 'deleteEverything', payload: {} }), false);
});

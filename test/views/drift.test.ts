import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredWindow, WindowReport } from '../../src/core/monitor/types';
import type { ComparatorResult } from '../../src/core/validate/types';
import type { RunValidation } from '../../src/extension/anomalies/report';
import {
  choosePipeline,
  chooseServedModel,
  driftDescription,
  orderDriftRows,
  pipelineOfFile,
  pressure,
  servedModels,
  servingSummary,
  shownPipelines,
  toDriftView,
  windowRange,
} from '../../src/extension/drift/collect';
import type { PipelineVersion, ServedModel } from '../../src/extension/drift/collect';
import { driftStateOf, isDriftFromWebviewMessage, isDriftToWebviewMessage, isDriftView, type DriftRowView, type DriftView } from '../../src/shared/drift';

/** Local times, so the expected text does not depend on the time zone the tests run in. */
const at = (hours: number, minutes: number, seconds = 0, day = 1) => new Date(2024, 4, day, hours, minutes, seconds).getTime();
const NOW = at(15, 0);

function comparator(feature: string, kind: 'drift' | 'skew', value: number, threshold: number, o: Partial<ComparatorResult> = {}): ComparatorResult {
  return {
    feature,
    kind,
    method: 'jsd',
    value,
    threshold,
    fired: value > threshold,
    current: kind === 'drift' ? 'span-2' : 'train',
    reference: kind === 'drift' ? 'span-1' : 'serving',
    ...o,
  };
}

function windowOf(model: string, version: number, end: number, drift: ComparatorResult[], rows = 1000): StoredWindow {
  const report: WindowReport = {
    window: { key: `v${version}/rows@${end}`, model, version, start: end - 5 * 60_000, end, rows },
    labelled: 0,
    latency: null,
    drift,
    predictionDrift: [],
    invalid: {},
    notes: [],
  };
  return { id: end, report, checkedAt: end + 1000 };
}

function validation(pipeline: string, runId: number, drift: ComparatorResult[], skew: ComparatorResult[] = []): RunValidation {
  return {
    runId,
    pipeline,
    pipelineFile: `/ws/${pipeline}.pipeline.yaml`,
    startedAt: 1000 + runId,
    artifactId: runId,
    contentHash: null,
    reportFile: `/ws/anomalies-${runId}.json`,
    schemaFile: undefined,
    report: { format: 'mlops-anomalies', version: 1, environment: 'TRAINING', anomalies: [], drift, skew },
  };
}

function version(model: string, v: number, pipeline: string, production = false): PipelineVersion {
  return { model, version: v, pipeline, pipelineFile: `/ws/${pipeline}.pipeline.yaml`, production };
}

const key = (r: DriftRowView) => `${r.fired ? '!' : ''}${r.kind}:${r.feature}`;

test('the served model of a pipeline: its production version first, then the newest checked window', () => {
  const versions = [
    version('taxi', 1, 'taxi-demo'),
    version('taxi', 2, 'taxi-demo', true),
    version('taxi-shadow', 1, 'taxi-demo'),
    version('fraud', 4, 'fraud', true),
  ];
  const newest = new Map([
    ['taxi', windowOf('taxi', 2, at(14, 5), [])],
    ['taxi-shadow', windowOf('taxi-shadow', 1, at(14, 30), [])],
  ]);
  const served = servedModels(versions, newest);
  assert.deepEqual(
    served.map((m) => [m.pipeline, m.model, m.productionVersion, m.newestWindow?.report.window.end ?? null]),
    [
      ['taxi-demo', 'taxi', 2, at(14, 5)],
      ['taxi-demo', 'taxi-shadow', null, at(14, 30)],
      ['fraud', 'fraud', 4, null],
    ],
  );
  assert.equal(chooseServedModel('taxi-demo', served)?.model, 'taxi', 'production beats a newer window');
  assert.equal(chooseServedModel('fraud', served)?.model, 'fraud');
  assert.equal(chooseServedModel('nothing-registered', served), undefined);

  // Neither in production from the pipeline: the newest window decides; no windows at all: the name.
  const unpromoted = servedModels([version('a', 1, 'p'), version('b', 1, 'p')], new Map([['b', windowOf('b', 1, at(9, 0), [])]]));
  assert.equal(chooseServedModel('p', unpromoted)?.model, 'b');
  assert.equal(chooseServedModel('p', servedModels([version('b', 1, 'p'), version('a', 1, 'p')], new Map()))?.model, 'a');

  // Both in production from the pipeline: the newest window decides.
  const both = servedModels(
    [version('a', 1, 'p', true), version('b', 1, 'p', true)],
    new Map([
      ['a', windowOf('a', 1, at(13, 0), [])],
      ['b', windowOf('b', 1, at(12, 0), [])],
    ]),
  );
  assert.equal(chooseServedModel('p', both)?.model, 'a');
});

test("a model's production version from another pipeline does not count as this pipeline's", () => {
  const served = servedModels([version('taxi', 1, 'old-pipeline', true), version('taxi', 2, 'new-pipeline'), version('other', 1, 'new-pipeline')], new Map());
  const forNew = served.filter((m) => m.pipeline === 'new-pipeline');
  assert.deepEqual(
    forNew.map((m) => [m.model, m.productionVersion]),
    [
      ['taxi', null],
      ['other', null],
    ],
  );
  assert.equal(chooseServedModel('old-pipeline', served)?.productionVersion, 1);
});

test("each feature's rows sit together (drift, skew, serving), features by their most pressing row", () => {
  const v = validation(
    'taxi-demo',
    7,
    [comparator('fare', 'drift', 0.05, 0.1), comparator('company', 'drift', 0.3, 0.1), comparator('miles', 'drift', 0.02, 0.1)],
    [comparator('fare', 'skew', 0.01, 0.1), comparator('payment', 'skew', 0.09, 0.1)],
  );
  const served: ServedModel = {
    model: 'taxi',
    pipeline: 'taxi-demo',
    productionVersion: 3,
    newestWindow: windowOf('taxi', 3, at(14, 5), [
      { feature: 'fare', kind: 'drift', method: 'wasserstein', value: 0.5, threshold: 0.1, fired: true, current: 'v3/rows@1', reference: 'train' },
      { feature: 'miles', kind: 'drift', method: 'ks', value: 0.2, pValue: 0.5, threshold: 0.05, fired: false, current: 'v3/rows@1', reference: 'train' },
      {
        feature: 'served_only',
        kind: 'drift',
        method: 'chi2',
        value: 3,
        pValue: 0.06,
        threshold: 0.05,
        fired: false,
        current: 'v3/rows@1',
        reference: 'train',
      },
    ]),
  };
  const view = toDriftView({ pipeline: 'taxi-demo', by: 'editor', validation: v, served, pipelines: ['taxi-demo'], now: NOW });
  assert.deepEqual(view.rows.map(key), [
    // fare: its serving row fired (pressure 5) — the group goes first, span drift still leads it.
    'drift:fare',
    'skew:fare',
    '!serving:fare',
    '!drift:company',
    // served_only: pressure 0.05 / 0.06 ≈ 0.83; payment 0.9 goes before it.
    'skew:payment',
    'serving:served_only',
    'drift:miles',
    'serving:miles',
  ]);
  const fareServing = view.rows[2];
  assert.equal(fareServing.current, 'served window 14:00–14:05');
  assert.equal(fareServing.reference, 'training statistics of v3');
  assert.equal(fareServing.method, 'wasserstein');
  assert.equal(view.runId, 7);
  assert.deepEqual(view.serving, {
    model: 'taxi',
    version: 3,
    window: { key: `v3/rows@${at(14, 5)}`, start: at(14, 0), end: at(14, 5), rows: 1000, checkedAt: at(14, 5) + 1000 },
    summary: 'Serving taxi v3 · window 14:00–14:05 (1,000 rows): 1 of 3 fired',
    notes: [],
  });
  assert.ok(isDriftView(view));
  assert.equal(driftDescription(view), 'taxi-demo · run #7 · serving taxi v3');
});

test('ordering is stable for ties and keeps several comparators of one kind by pressure', () => {
  const rows = orderDriftRows([
    { feature: 'b', kind: 'serving', method: 'psi', value: 0.1, pValue: null, threshold: 0.2, fired: false, at: null, current: 'w', reference: 't' },
    { feature: 'a', kind: 'drift', method: 'jsd', value: 0.05, pValue: null, threshold: 0.1, fired: false, at: null, current: 's2', reference: 's1' },
    { feature: 'a', kind: 'drift', method: 'linf', value: 0.09, pValue: null, threshold: 0.1, fired: false, at: 'x', current: 's2', reference: 's1' },
  ]);
  assert.deepEqual(
    rows.map((r) => `${r.feature}:${r.kind}:${r.method}`),
    ['a:drift:linf', 'a:drift:jsd', 'b:serving:psi'],
  );
});

test('without a validation the view shows the serving rows alone', () => {
  const served: ServedModel = {
    model: 'tipper',
    pipeline: 'registry-test',
    productionVersion: 1,
    newestWindow: windowOf('tipper', 1, at(14, 5), [comparator('fare', 'drift', 0.3, 0.1)]),
  };
  const view = toDriftView({ pipeline: 'registry-test', by: 'latest', validation: undefined, served, pipelines: ['registry-test'], now: NOW });
  assert.equal(view.runId, null);
  assert.equal(view.startedAt, null);
  assert.deepEqual(view.rows.map(key), ['!serving:fare']);
  assert.equal(driftDescription(view), 'registry-test · serving tipper v1');
  assert.ok(isDriftView(view));

  const unserved = toDriftView({ pipeline: 'p', by: 'picker', validation: validation('p', 3, []), served: undefined, pipelines: ['p'], now: NOW });
  assert.equal(unserved.serving, null);
  assert.equal(driftDescription(unserved), 'p · run #3');
});

test('the serving summary: the window, its rows and what fired, or why there is nothing to count', () => {
  const window = { key: 'k', start: at(14, 0), end: at(14, 5), rows: 1000, checkedAt: at(14, 6) };
  const fired = [true, true, false, false, false, false, false, false, false].map((f) => ({ fired: f }));
  assert.equal(servingSummary({ model: 'taxi', version: 3, window }, fired, NOW), 'Serving taxi v3 · window 14:00–14:05 (1,000 rows): 2 of 9 fired');
  assert.equal(servingSummary({ model: 'taxi', version: 3, window }, [], NOW), 'Serving taxi v3 · window 14:00–14:05 (1,000 rows): drift not checked');
  assert.equal(servingSummary({ model: 'taxi', version: 2, window: null }, [], NOW), 'Serving taxi v2: no served traffic checked yet');
  assert.equal(servingSummary({ model: 'taxi', version: null, window: null }, [], NOW), 'Serving taxi: no served traffic checked yet');

  const none: ServedModel = { model: 'taxi', pipeline: 'p', productionVersion: 2, newestWindow: null };
  const view = toDriftView({ pipeline: 'p', by: 'editor', validation: validation('p', 1, []), served: none, pipelines: ['p'], now: NOW });
  assert.equal(view.serving?.summary, 'Serving taxi v2: no served traffic checked yet');
  assert.deepEqual(view.rows, []);
});

test('window ranges: minutes, seconds within one minute, the date when not today', () => {
  assert.equal(windowRange(at(14, 0), at(14, 5), NOW), '14:00–14:05');
  assert.equal(windowRange(at(14, 0, 5), at(14, 0, 48), NOW), '14:00:05–14:00:48');
  assert.equal(windowRange(at(14, 0, 0, 2), at(14, 5, 0, 2), NOW), '2024-05-02 14:00–14:05');
  assert.equal(windowRange(at(23, 58, 0, 1), at(0, 3, 0, 2), NOW), '23:58–2024-05-02 00:03');
});

test('which pipeline is shown: the chosen one with data, the last validated, else the newest served window', () => {
  const latest = [validation('a', 1, []), validation('b', 2, [])];
  const served = servedModels([version('m', 1, 'c', true), version('n', 1, 'd', true)], new Map([['m', windowOf('m', 1, at(10, 0), [])]]));
  assert.deepEqual(shownPipelines(latest, served), ['a', 'b', 'c']);
  assert.deepEqual(choosePipeline(latest, served, { pipeline: 'a', by: 'picker' }), { pipeline: 'a', by: 'picker' });
  assert.deepEqual(choosePipeline(latest, served, { pipeline: 'c', by: 'editor' }), { pipeline: 'c', by: 'editor' });
  // d's model has no window and d no validation: nothing to show for it.
  assert.deepEqual(choosePipeline(latest, served, { pipeline: 'd', by: 'editor' }), { pipeline: 'b', by: 'latest' });
  assert.deepEqual(choosePipeline([], served, undefined), { pipeline: 'c', by: 'latest' });
  assert.equal(choosePipeline([], servedModels([version('n', 1, 'd', true)], new Map()), undefined), undefined);
});

test('a pipeline file is known by its validation or by the runs that registered a model', () => {
  const latest = [validation('a', 1, [])];
  const versions = [version('m', 1, 'c')];
  assert.equal(pipelineOfFile('/ws/a.pipeline.yaml', latest, versions), 'a');
  assert.equal(pipelineOfFile('/ws/c.pipeline.yaml', latest, versions), 'c');
  assert.equal(pipelineOfFile('/ws/x.pipeline.yaml', latest, versions), undefined);
});

test('pressure: value over threshold, threshold over p for the p-value tests', () => {
  assert.equal(pressure({ method: 'jsd', value: 0.2, pValue: null, threshold: 0.1 }), 2);
  assert.equal(pressure({ method: 'ks', value: 0.2, pValue: 0.01, threshold: 0.05 }), 5);
  assert.equal(pressure({ method: 'ks', value: 0.2, pValue: 0, threshold: 0.05 }), Infinity);
  assert.equal(pressure({ method: 'psi', value: 0.2, pValue: null, threshold: null }), 0);
});

const OLD_VIEW = {
  runId: 4,
  pipeline: 'taxi-demo',
  pipelines: ['taxi-demo'],
  chosenBy: 'latest',
  startedAt: 1000,
  rows: [
    { feature: 'fare', kind: 'drift', method: 'jsd', value: 0.2, pValue: null, threshold: 0.1, fired: true, at: null, current: 'span-2', reference: 'span-1' },
  ],
};

test('messages are validated, serving included; a state saved before serving drift still loads', () => {
  const serving = { model: 'taxi', version: 3, window: { key: 'k', start: 1, end: 2, rows: 10, checkedAt: 3 }, summary: 's', notes: ['n'] };
  const view = { ...OLD_VIEW, serving };
  assert.ok(isDriftToWebviewMessage({ type: 'drift', payload: view }));
  assert.ok(
    isDriftToWebviewMessage({
      type: 'drift',
      payload: { ...view, runId: null, startedAt: null, serving: { ...serving, version: null, window: null } },
    }),
  );
  assert.ok(!isDriftToWebviewMessage({ type: 'drift', payload: OLD_VIEW }), 'the extension always sends serving');
  assert.ok(!isDriftToWebviewMessage({ type: 'drift', payload: { ...view, serving: { ...serving, window: { ...serving.window, rows: 'ten' } } } }));
  assert.ok(!isDriftToWebviewMessage({ type: 'drift', payload: { ...view, rows: [{ ...OLD_VIEW.rows[0], kind: 'served' }] } }));

  assert.ok(isDriftFromWebviewMessage({ type: 'compare', payload: { feature: 'fare', kind: 'serving' } }));
  assert.ok(isDriftFromWebviewMessage({ type: 'openMonitoring', payload: { model: 'taxi' } }));
  assert.ok(!isDriftFromWebviewMessage({ type: 'openMonitoring', payload: { model: 3 } }));

  const old = driftStateOf({ view: OLD_VIEW });
  assert.deepEqual(old, { view: { ...OLD_VIEW, serving: null } });
  assert.ok(isDriftView(old?.view));
  assert.deepEqual(driftStateOf({ view }), { view: view as DriftView });
  assert.deepEqual(driftStateOf({ empty: 'No validation yet.' }), { empty: 'No validation yet.' });
  assert.deepEqual(driftStateOf({}), {});
  assert.equal(driftStateOf({ view: { ...OLD_VIEW, rows: 'none' } }), undefined);
  assert.equal(driftStateOf({ view: { ...view, serving: { model: 'taxi' } } }), undefined);
  assert.equal(driftStateOf(undefined), undefined);
});

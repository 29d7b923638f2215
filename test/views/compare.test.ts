import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FinalMetric, RunRecord } from '../../src/core/store/types';
import { buildCompareView, compareCsv, metricColumn, metricDirection, objectiveOf, paramColumn, type CompareInput } from '../../src/extension/compare/collect';
import { categoricalAxis, numericAxis } from '../../src/extension/compare/parallel';
import { isToWebviewMessage, sourceKey, type CompareRunRow } from '../../src/shared/compare';

function run(id: number, parentRunId: number | null = null): RunRecord {
  return {
    id,
    pipelineId: 1,
    pipelineName: 'taxi',
    pipelineFile: 'taxi.pipeline.yaml',
    status: 'complete',
    component: null,
    startedAt: 1_700_000_000_000 + id,
    endedAt: 1_700_000_100_000 + id,
    pipelineHash: 'sha256:00',
    gitCommit: null,
    gitDirty: null,
    toolVersion: '0.1.0',
    tfjsBackend: 'cpu',
    seed: 7,
    error: null,
    pid: null,
    hostname: null,
    parentRunId,
    nodeVersion: null,
    sqliteDriver: null,
    sqliteVersion: null,
    trigger: null,
    reproducesRunId: null,
  };
}

const row = (id: number, params: Record<string, string>, metrics: Record<string, number | null>): CompareRunRow => ({
  id,
  pipeline: 'taxi',
  status: 'complete',
  startedAt: 0,
  parentRunId: null,
  params,
  metrics,
});

test('metric direction: losses and errors go down, everything else goes up', () => {
  for (const key of ['loss', 'val_loss', 'batch_loss', 'mae', 'val_rmse', 'mse', 'eval_logloss', 'error']) assert.equal(metricDirection(key), 'min', key);
  for (const key of ['auc', 'val_auc', 'accuracy', 'precision', 'recall', 'r2', 'f1']) assert.equal(metricDirection(key), 'max', key);
});

test('best per metric follows the direction, keeps ties and ignores runs without a value', () => {
  const rows = [row(1, {}, { val_loss: 0.4, auc: 0.8 }), row(2, {}, { val_loss: 0.3, auc: 0.9 }), row(3, {}, { val_loss: 0.3, auc: null }), row(4, {}, {})];
  assert.deepEqual(metricColumn('val_loss', rows), { key: 'val_loss', direction: 'min', best: 0.3, bestRuns: [2, 3], differs: true });
  assert.deepEqual(metricColumn('auc', rows), { key: 'auc', direction: 'max', best: 0.9, bestRuns: [2], differs: true });
  assert.deepEqual(metricColumn('nothing', rows), { key: 'nothing', direction: 'max', best: null, bestRuns: [], differs: false });
  const constant = [row(1, {}, { 'examples.eval': 400 }), row(2, {}, { 'examples.eval': 400 })];
  assert.equal(metricColumn('examples.eval', constant).differs, false, 'the same in every run: hidden with the constant params');
});

test('params: what differs (a value, or being set at all), numbers vs categories, log-spread numbers', () => {
  const rows = [
    row(1, { lr: '0.0001', seed: '7', opt: 'adam', hidden: '[64,32]', only: 'x' }, {}),
    row(2, { lr: '0.01', seed: '7', opt: 'sgd', hidden: '[64,32]' }, {}),
    row(3, { lr: '0.001', seed: '7', opt: 'adam', hidden: '[64,32]' }, {}),
  ];
  assert.deepEqual(paramColumn('lr', rows), { key: 'lr', differs: true, kind: 'numeric', log: true });
  assert.deepEqual(paramColumn('seed', rows), { key: 'seed', differs: false, kind: 'numeric', log: false });
  assert.deepEqual(paramColumn('opt', rows), { key: 'opt', differs: true, kind: 'categorical', log: false });
  assert.deepEqual(paramColumn('hidden', rows), { key: 'hidden', differs: false, kind: 'categorical', log: false });
  assert.equal(paramColumn('only', rows).differs, true, 'set on one run only');
});

test("objective: the tuning run's declared metric and direction, else the likeliest shared key", () => {
  const keys = ['auc', 'loss', 'val_auc', 'val_loss'];
  assert.deepEqual(objectiveOf({ 'train.tune.objective': 'val_auc (max)' }, keys), { key: 'val_auc', direction: 'max' });
  assert.deepEqual(objectiveOf({ 'train.tune.objective': 'auc (min)' }, keys), { key: 'auc', direction: 'min' }, 'the declared direction wins');
  assert.deepEqual(
    objectiveOf({ 'train.tune.objective': 'not_logged (max)' }, keys),
    { key: 'val_loss', direction: 'min' },
    'a declared key no run logged falls back',
  );
  assert.deepEqual(objectiveOf(undefined, ['batch_loss', 'custom']), { key: 'custom', direction: 'max' });
  assert.equal(objectiveOf(undefined, []), null);
});

test('parallel axes: numbers spread 0..1 (log when they span decades), categories evenly, absent values null', () => {
  const linear = numericAxis([2, 4, 6], false);
  assert.deepEqual(
    [2, 4, 6, 8].map((v) => linear.position(v)),
    [0, 0.5, 1, 1.5],
  );
  assert.deepEqual(
    linear.ticks.map((t) => t.label),
    ['2', '4', '6'],
  );
  const log = numericAxis([1e-4, 1e-3, 1e-2], true);
  assert.ok(Math.abs(log.position('0.001')! - 0.5) < 1e-12, 'a log axis puts 1e-3 half way between 1e-4 and 1e-2');
  assert.equal(log.position(null), null);
  assert.equal(numericAxis([3, 3], false).position(3), 0.5, 'one value sits in the middle');
  const cat = categoricalAxis(['sgd', 'adam', 'adam', 'rmsprop']);
  assert.deepEqual(
    cat.ticks.map((t) => [t.label, t.position]),
    [
      ['adam', 0],
      ['rmsprop', 0.5],
      ['sgd', 1],
    ],
  );
  assert.equal(cat.position('other'), null);
  const many = categoricalAxis(Array.from({ length: 40 }, (_, i) => `v${i}`));
  assert.ok(many.ticks.length <= 14 && many.ticks.at(-1)!.label === 'v39', 'labels thinned, the last one kept');
  assert.equal(
    categoricalAxis(['[8]', '[16]', '[128]'])
      .ticks.map((t) => t.label)
      .join(' '),
    '[8] [16] [128]',
    'natural order',
  );
});

/** Final values at epoch 5, curves unless listed as single points. */
function finals(values: Record<string, number>, single: string[] = []): Record<string, FinalMetric> {
  return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value, step: 5, curve: !single.includes(k) }]));
}

function trialsInput(): CompareInput {
  const runs = [run(12, 10), run(11, 10), run(13, 10)];
  return {
    source: { kind: 'trials', parentRunId: 10 },
    title: 'Trials · Run #10',
    runs,
    params: new Map([
      [11, { learning_rate: '0.0001', 'model.hidden': '[32]', seed: '7' }],
      [12, { learning_rate: '0.01', 'model.hidden': '[64,32]', seed: '7' }],
      [13, { learning_rate: '0.001', 'model.hidden': '[32]', seed: '7' }],
    ]),
    finals: new Map([
      [11, finals({ val_auc: 0.81, val_loss: 0.5, batch_loss: 0.6 })],
      [12, finals({ val_auc: 0.86, val_loss: 0.42 })],
      [13, finals({ val_auc: 0.84, val_loss: Number.NaN }, ['val_auc'])],
    ]),
    parentParams: { 'train.tune.objective': 'val_auc (max)' },
    curveBudget: 500,
  };
}

test('the comparison of tuning trials: rows oldest first, differing params, best runs, objective and parallel axes', () => {
  const view = buildCompareView(trialsInput());
  assert.deepEqual(
    view.runs.map((r) => r.id),
    [11, 12, 13],
  );
  assert.deepEqual(
    view.params.map((p) => [p.key, p.differs, p.kind]),
    [
      ['learning_rate', true, 'numeric'],
      ['model.hidden', true, 'categorical'],
      ['seed', false, 'numeric'],
    ],
  );
  assert.deepEqual(
    view.metrics.map((m) => [m.key, m.bestRuns]),
    [
      ['val_auc', [12]],
      ['val_loss', [12]],
      ['batch_loss', [11]],
    ],
  );
  assert.equal(view.runs[2].metrics.val_loss, null, 'NaN reads as no value');
  assert.deepEqual(view.curves, ['val_auc', 'val_loss', 'batch_loss'], 'a key is a curve when some run has one');
  assert.deepEqual(view.objective, { key: 'val_auc', direction: 'max' });
  const p = view.parallel!;
  assert.deepEqual(
    p.axes.map((a) => `${a.kind}:${a.key}`),
    ['param:learning_rate', 'param:model.hidden', 'metric:val_auc', 'metric:val_loss', 'metric:batch_loss'],
  );
  const trial12 = p.lines.find((l) => l.runId === 12)!;
  assert.deepEqual(trial12.positions.slice(0, 3), [1, 1, 1], 'highest learning rate, the [64,32] category, the best AUC');
  assert.equal(p.lines.find((l) => l.runId === 13)!.positions[3], null);
  assert.ok(isToWebviewMessage({ type: 'view', payload: view }), 'the view passes the contract the webview checks');
});

test('no parallel plot without differing params, no curve for single figures; sources have stable keys', () => {
  const input = trialsInput();
  const same = buildCompareView({ ...input, params: new Map([...input.params].map(([id]) => [id, { seed: '7' }])) });
  assert.equal(same.parallel, null);
  const figures = buildCompareView({ ...input, finals: new Map([[11, finals({ 'final.auc': 0.9 }, ['final.auc'])]]) });
  assert.deepEqual([figures.metrics.map((m) => m.key), figures.curves], [['final.auc'], []], 'single figures get a column, not a curve');
  assert.equal(sourceKey({ kind: 'runs', runIds: [3, 1, 2] }), sourceKey({ kind: 'runs', runIds: [1, 2, 3] }));
  assert.notEqual(sourceKey({ kind: 'trials', parentRunId: 1 }), sourceKey({ kind: 'checked' }));
});

test('the objective is the first metric; only what differs hides constant metrics too', () => {
  const input = trialsInput();
  const withConstant = buildCompareView({
    ...input,
    finals: new Map([...input.finals].map(([id, f]) => [id, { ...f, ...finals({ 'examples.eval': 400 }, []) }])),
  });
  assert.equal(withConstant.metrics[0].key, withConstant.objective?.key);
  assert.doesNotMatch(compareCsv(withConstant, [11, 12], true).split('\n')[0], /examples\.eval/);
  assert.match(compareCsv(withConstant, [11, 12], false).split('\n')[0], /examples\.eval/);
});

test('CSV of the table: rows in the order shown, all params or only those that differ, then the metrics', () => {
  const view = buildCompareView(trialsInput());
  assert.equal(
    compareCsv(view, [12, 11], true),
    [
      'run,pipeline,status,learning_rate,model.hidden,val_auc,val_loss,batch_loss',
      '12,taxi,complete,0.01,"[64,32]",0.86,0.42,',
      '11,taxi,complete,0.0001,[32],0.81,0.5,0.6',
      '',
    ].join('\n'),
  );
  assert.match(
    compareCsv(view, [13], false),
    /^run,pipeline,status,learning_rate,model\.hidden,seed,val_auc,val_loss,batch_loss\n13,taxi,complete,0\.001,\[32\],7,0\.84,,\n$/,
  );
});

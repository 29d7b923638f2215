import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricSeriesCursor, MetricSeriesPage } from '../../src/core/store/types';
import { chartsFor } from '../../src/extension/training/charts';
import { toCsv } from '../../src/core/util/csvText';
import { RunCurves, type CurvesSource } from '../../src/extension/training/curves';
import { downsampleIndices } from '../../src/extension/training/downsample';
import { headlineKey, isEpochMetric } from '../../src/extension/training/epochFigure';
import { emaSmooth } from '../../src/extension/training/smoothing';
import { isToWebviewMessage, type TrainingView } from '../../src/shared/training';

/** A noisy decaying loss with a spike and a dip, seeded so the test is the same every run. */
function noisyLoss(n: number): { steps: number[]; values: number[] } {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const steps = Array.from({ length: n }, (_, i) => i + 1);
  const values = steps.map((s) => 2 / Math.sqrt(s) + random() * 0.2);
  values[Math.floor(n * 0.37)] = 50; // a spike
  values[Math.floor(n * 0.81)] = -3; // a dip
  return { steps, values };
}

test('down-sampling 100,000 points stays within the budget and keeps the extremes, the ends and the order', () => {
  const { steps, values } = noisyLoss(100_000);
  for (const budget of [2000, 500, 7, 4]) {
    const kept = downsampleIndices(steps, values, budget);
    assert.ok(kept.length <= budget, `${kept.length} points for a budget of ${budget}`);
    assert.ok(kept.length >= Math.min(budget, 4) - 1, `${kept.length} points is too few for ${budget}`);
    assert.equal(kept[0], 0);
    assert.equal(kept.at(-1), values.length - 1);
    assert.ok(
      kept.every((k, i) => i === 0 || k > kept[i - 1]),
      'ascending, no duplicates',
    );
    const picked = kept.map((i) => values[i]);
    assert.equal(Math.max(...picked), 50, `the spike survives a budget of ${budget}`);
    assert.equal(Math.min(...picked), -3, `the dip survives a budget of ${budget}`);
  }
});

test('down-sampling keeps every bucket extreme: the picked envelope matches the data per pixel column', () => {
  const { steps, values } = noisyLoss(10_000);
  const kept = new Set(downsampleIndices(steps, values, 202));
  // 100 buckets of 100 steps each (first and last point aside): each keeps its own min and max.
  for (let b = 0; b < 100; b++) {
    const inBucket = steps.map((_, i) => i).filter((i) => i > 0 && i < 9999 && Math.min(99, Math.floor(((steps[i] - 1) / 9999) * 100)) === b);
    const lo = Math.min(...inBucket.map((i) => values[i]));
    const hi = Math.max(...inBucket.map((i) => values[i]));
    const picked = inBucket.filter((i) => kept.has(i)).map((i) => values[i]);
    assert.ok(picked.includes(lo) && picked.includes(hi), `bucket ${b}`);
  }
});

test('down-sampling: short series come back whole, without the points a chart cannot draw', () => {
  assert.deepEqual(downsampleIndices([1, 2, 3, 4], [0.5, Number.NaN, 0.3, Infinity], 10), [0, 2]);
  assert.deepEqual(downsampleIndices([], [], 10), []);
  const flat = Array.from({ length: 1000 }, () => 5);
  const kept = downsampleIndices(flat, flat, 100);
  assert.ok(kept.length <= 100 && kept[0] === 0 && kept.at(-1) === 999, 'all points on one step still down-sample');
  assert.deepEqual(downsampleIndices([1, 2, 3], [Number.NaN, Number.NaN, Number.NaN], 2), []);
});

test("EMA smoothing is TensorBoard's: debiased, causal, incremental, and NaN does not poison it", () => {
  assert.deepEqual(emaSmooth([1, 2, 3], 0).smoothed, [1, 2, 3], 'weight 0 is the identity');
  const constant = emaSmooth([4, 4, 4, 4], 0.9).smoothed;
  assert.ok(
    constant.every((v) => Math.abs(v - 4) < 1e-12),
    'debiasing: a constant series stays constant from the first point',
  );
  // Hand-computed: last = 0.4, 0.4*0.6+0.4*2 = 1.04; debias 1-0.6 = 0.4, 1-0.36 = 0.64.
  const [a, b] = emaSmooth([1, 2], 0.6).smoothed;
  assert.ok(Math.abs(a - 1) < 1e-12 && Math.abs(b - 1.04 / 0.64) < 1e-12);
  const { values } = noisyLoss(500);
  const whole = emaSmooth(values, 0.8).smoothed;
  const first = emaSmooth(values.slice(0, 200), 0.8);
  const rest = emaSmooth(values.slice(200), 0.8, first.state);
  assert.deepEqual([...first.smoothed, ...rest.smoothed], whole, 'smoothing the new points continues exactly');
  const withNaN = emaSmooth([1, Number.NaN, 1], 0.5).smoothed;
  assert.ok(Number.isNaN(withNaN[1]) && withNaN[2] === 1);
});

test('charts: training and validation of a metric share one, per-batch keys and custom metrics get their own', () => {
  const charts = chartsFor(['val_auc', 'batch_loss', 'loss', 'my_metric', 'auc', 'val_loss', 'val_rmse']);
  assert.deepEqual(
    charts.map((c) => [c.id, c.axis, c.keys]),
    [
      ['loss', 'epoch', ['loss', 'val_loss']],
      ['batch_loss', 'batch', ['batch_loss']],
      ['auc', 'epoch', ['auc', 'val_auc']],
      ['rmse', 'epoch', ['val_rmse']],
      ['my_metric', 'step', ['my_metric']],
    ],
  );
});

/** An in-memory metrics table behind the CurvesSource interface, growing as a test "trains". */
class FakeSource implements CurvesSource {
  readonly rows: { id: number; key: string; step: number; value: number }[] = [];
  reads = 0;
  log(key: string, step: number, value: number): void {
    this.rows.push({ id: this.rows.length + 1, key, step, value });
  }
  keys(): string[] {
    return [...new Set(this.rows.map((r) => r.key))].sort();
  }
  points(key: string, after: MetricSeriesCursor | null, limit: number): MetricSeriesPage {
    this.reads++;
    const rows = this.rows
      .filter((r) => r.key === key && (!after || r.step > after.step || (r.step === after.step && r.id > after.id)))
      .sort((a, b) => a.step - b.step || a.id - b.id)
      .slice(0, limit);
    const last = rows.at(-1);
    return {
      steps: rows.map((r) => r.step),
      values: rows.map((r) => r.value),
      cursor: last ? { step: last.step, id: last.id } : after,
      done: rows.length < limit,
    };
  }
}

test('live curves: each read takes only the new points, and updates carry only those', async () => {
  const source = new FakeSource();
  const curves = new RunCurves(source, 0, 100, async () => undefined);
  for (let e = 1; e <= 3; e++) source.log('loss', e, 1 / e);
  assert.deepEqual(await curves.read(), { changed: ['loss'], newKeys: true });
  const full = curves.fullSeries();
  assert.deepEqual(
    full.map((s) => [s.key, s.points.steps, s.total]),
    [['loss', [1, 2, 3], 3]],
  );
  assert.deepEqual(curves.updates(), [], 'nothing new since the full send');

  source.log('loss', 4, 0.2);
  assert.deepEqual(await curves.read(), { changed: ['loss'], newKeys: false });
  const [update] = curves.updates();
  assert.deepEqual([update.key, update.replace, update.points.steps, update.points.values, update.total], ['loss', false, [4], [0.2], 4]);

  source.log('val_loss', 1, 0.9);
  assert.equal((await curves.read()).newKeys, true, 'a new key means a new chart');
  assert.deepEqual(
    curves.charts().map((c) => c.keys),
    [['loss', 'val_loss']],
  );
});

test('live curves: a series growing past twice the budget is sent again, down-sampled', async () => {
  const source = new FakeSource();
  const curves = new RunCurves(source, 0, 100, async () => undefined);
  for (let s = 1; s <= 150; s++) source.log('batch_loss', s, Math.sin(s));
  await curves.read();
  assert.equal(curves.fullSeries()[0].points.steps.length, 100);
  for (let s = 151; s <= 180; s++) source.log('batch_loss', s, Math.sin(s));
  await curves.read();
  let [u] = curves.updates();
  assert.equal(u.replace, false);
  assert.equal(u.points.steps.length, 30);
  for (let s = 181; s <= 300; s++) source.log('batch_loss', s, Math.sin(s));
  await curves.read();
  [u] = curves.updates();
  assert.equal(u.replace, true, '100 + 30 + 120 points held would pass 200');
  assert.ok(u.points.steps.length <= 100 && u.total === 300);
});

test('live curves: long series are read a page at a time, pausing between pages', async () => {
  const source = new FakeSource();
  for (let s = 1; s <= 120_000; s++) source.log('batch_loss', s, 1);
  let pauses = 0;
  const curves = new RunCurves(source, 0.6, 2000, async () => void pauses++);
  await curves.read();
  assert.equal(curves.counts().batch_loss, 120_000);
  assert.equal(pauses, 2, '50,000 rows a page');
  assert.ok(curves.fullSeries()[0].points.steps.length <= 2000);
});

test('live curves: a single figure is no chart until it gets a second step', async () => {
  const source = new FakeSource();
  source.log('loss', 1, 0.9);
  source.log('final.auc', 0, 0.8);
  source.log('tip_rate', 1, 0.3);
  const curves = new RunCurves(source, 0, 100, async () => undefined);
  await curves.read();
  assert.deepEqual(
    curves.charts().map((c) => c.id),
    ['loss'],
    'one point of loss is a curve in the making; the others are figures',
  );
  assert.deepEqual(
    curves.fullSeries().map((s) => s.key),
    ['loss'],
  );
  source.log('tip_rate', 2, 0.35);
  assert.equal((await curves.read()).newKeys, true, 'a figure that became a curve is a new chart');
  assert.deepEqual(
    curves.charts().map((c) => [c.id, c.axis]),
    [
      ['loss', 'epoch'],
      ['tip_rate', 'step'],
    ],
  );
});

test('smoothing applies to every point, before down-sampling, and can change afterwards', async () => {
  const source = new FakeSource();
  [3, 1, 2].forEach((v, i) => source.log('loss', i + 1, v));
  const curves = new RunCurves(source, 0, 100, async () => undefined);
  await curves.read();
  assert.deepEqual(curves.fullSeries()[0].points.smoothed, [], 'no smoothing, nothing extra sent');
  curves.setSmoothing(0.5);
  assert.deepEqual(curves.fullSeries()[0].points.smoothed, emaSmooth([3, 1, 2], 0.5).smoothed);
  source.log('loss', 4, 5);
  await curves.read();
  assert.deepEqual(curves.updates()[0].points.smoothed, [emaSmooth([3, 1, 2, 5], 0.5).smoothed[3]]);
});

test('CSV of a chart: one row per step, a column per series, every point at full resolution', async () => {
  const source = new FakeSource();
  source.log('loss', 1, 0.9);
  source.log('loss', 2, 0.5);
  source.log('val_loss', 2, 0.7);
  source.log('loss', 2, 0.45); // the epoch logged again (resumed): the later value counts
  const curves = new RunCurves(source, 0, 100, async () => undefined);
  await curves.read();
  const { header, rows } = curves.table(curves.charts()[0]);
  assert.equal(toCsv(header, rows), 'epoch,loss,val_loss\n1,0.9,\n2,0.45,0.7\n');
  assert.equal(toCsv(['a', 'b'], [['x,y', 'say "hi"']]), 'a,b\n"x,y","say ""hi"""\n');
});

test('what RunCurves builds passes the contract the webview checks', async () => {
  const source = new FakeSource();
  source.log('loss', 1, 0.9);
  source.log('loss', 2, Number.NaN);
  const curves = new RunCurves(source, 0.6, 100, async () => undefined);
  await curves.read();
  const view: TrainingView = {
    runId: 1,
    pipeline: 'p',
    status: 'running',
    backend: null,
    parentRunId: null,
    smoothing: 0.6,
    budget: 100,
    charts: curves.charts(),
    series: curves.fullSeries(),
  };
  assert.deepEqual(view.series[0].points.steps, [1], 'NaN is not sent (JSON would make it null)');
  assert.ok(isToWebviewMessage({ type: 'view', payload: view }));
  assert.ok(!isToWebviewMessage({ type: 'view', payload: { ...view, smoothing: 1.5 } }));
  assert.ok(
    !isToWebviewMessage({
      type: 'update',
      payload: {
        runId: 1,
        status: 'running',
        series: [{ key: 'loss', replace: false, points: { steps: [1, 2], values: [1], smoothed: [] }, total: 2, min: 1 }],
      },
    }),
    'ragged arrays are rejected',
  );
});

test("the training status bar shows a run's epoch loss, never a one-off figure or the last key of an epoch", () => {
  assert.equal(isEpochMetric('skew.payment_type.linf', 0), false);
  assert.equal(isEpochMetric('batch_loss', 40), false);
  assert.equal(isEpochMetric('val_recall', 2), true);
  assert.equal(headlineKey(['loss', 'auc', 'val_loss', 'val_recall']), 'val_loss');
  assert.equal(headlineKey(['auc', 'loss']), 'loss');
  assert.equal(headlineKey(['tip_rate']), 'tip_rate');
});

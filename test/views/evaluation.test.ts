import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LinkedArtifact, RunDetails } from '../../src/core/store/types';
import { buildEvaluationView, evaluationDirection, keyMetrics, metricOrder } from '../../src/extension/evaluation/collect';
import { evaluationArtifact, evaluationFilePath, readBlessing, readEvaluation } from '../../src/extension/evaluation/source';
import { isEvaluationReport, isEvaluationState, isFromWebviewMessage, isToWebviewMessage, type EvaluationReport } from '../../src/shared/evaluation';
import {
  baselineChange,
  largeRegressions,
  orderedSlices,
  regressionText,
  SLICE_COUNT,
  SLICE_FLAGGED,
  SLICE_NAME,
  thresholdPointAt,
} from '../../src/shared/evaluationView';
import { confusion, DECISION_THRESHOLD, sampleReport } from '../fixtures/evaluation/report';
import { tempDir } from '../helpers/tmp';

const clone = (r: EvaluationReport): EvaluationReport => JSON.parse(JSON.stringify(r)) as EvaluationReport;

test("metric directions: the engine's, calibration best at 1, group rates, counts without a side", () => {
  const cases: [string, string][] = [
    ['auc', 'higher'],
    ['auc_pr', 'higher'],
    ['macro_f1', 'higher'],
    ['precision/Cash', 'higher'],
    ['r2', 'higher'],
    ['log_loss', 'lower'],
    ['mae', 'lower'],
    ['rmse', 'lower'],
    ['mape', 'lower'],
    ['demographic_parity_difference', 'lower'],
    ['equalized_odds_ratio', 'higher'],
    ['calibration', 'one'],
    ['tpr', 'higher'],
    ['fpr', 'lower'],
    ['fnr', 'lower'],
    ['selection_rate', 'neutral'],
    ['example_count', 'neutral'],
    ['mean_label', 'neutral'],
  ];
  for (const [key, direction] of cases) assert.equal(evaluationDirection(key), direction, key);
});

test("metric order: headline metrics first in TFMA's order, the rest by name", () => {
  assert.deepEqual(metricOrder(['example_count', 'zeta', 'log_loss', 'precision/b', 'auc', 'accuracy', 'alpha', 'auc']), [
    'auc',
    'accuracy',
    'log_loss',
    'example_count',
    'alpha',
    'precision/b',
    'zeta',
  ]);
});

test('key metrics: evaluation headlines, else validation before training metrics; counts, per-batch keys and NaN left out', () => {
  assert.deepEqual(keyMetrics({ example_count: 400, mean_label: 0.4, calibration: 1.1, log_loss: 0.4, accuracy: 0.8, auc: 0.9 }), [
    ['auc', 0.9],
    ['accuracy', 0.8],
  ]);
  assert.deepEqual(keyMetrics({ loss: 0.5, val_loss: 0.55, auc: 0.91, val_auc: 0.88, batch_loss: 0.4 }), [
    ['val_auc', 0.88],
    ['auc', 0.91],
  ]);
  assert.deepEqual(keyMetrics({ auc: Number.NaN, rmse: 2 }, 3), [['rmse', 2]]);
});

test('the view: every metric of the slices in headline order, a direction for every key the report holds', () => {
  const report = sampleReport();
  const view = buildEvaluationView({ runId: 4, pipeline: 'taxi', runStatus: 'complete', file: 'e/evaluation.json', report });
  assert.deepEqual(view.metrics, ['auc', 'accuracy', 'f1', 'precision', 'recall', 'log_loss', 'calibration', 'mean_label', 'mean_prediction', 'example_count']);
  assert.equal(view.directions.auc, 'higher');
  assert.equal(view.directions.log_loss, 'lower');
  assert.equal(view.directions.fpr, 'lower');
  assert.equal(view.directions.selection_rate, 'neutral');
  assert.equal(view.report, report);
  assert.ok(isToWebviewMessage({ type: 'view', payload: view }));
});

test('baseline change: the sign of the difference and whether it is better for the metric', () => {
  assert.deepEqual(baselineChange(0.9, 0.85, 'higher'), { delta: 0.9 - 0.85, verdict: 'better' });
  assert.equal(baselineChange(0.8, 0.85, 'higher')?.verdict, 'worse');
  assert.equal(baselineChange(0.3, 0.4, 'lower')?.verdict, 'better');
  assert.equal(baselineChange(0.5, 0.4, 'lower')?.verdict, 'worse');
  // Calibration: 1.05 is closer to 1 than 0.9 (better) although it went up; 1.2 is further (worse).
  assert.equal(baselineChange(1.05, 0.9, 'one')?.verdict, 'better');
  assert.equal(baselineChange(1.2, 1.05, 'one')?.verdict, 'worse');
  assert.equal(baselineChange(0.95, 1.05, 'one')?.verdict, 'same');
  assert.deepEqual(baselineChange(400, 380, 'neutral'), { delta: 20, verdict: 'neutral' });
  assert.deepEqual(baselineChange(0.1 + 0.2, 0.3, 'higher'), { delta: 0, verdict: 'same' }, 'rounding is no change');
  assert.equal(baselineChange(0.9, null, 'higher'), null);
  assert.equal(baselineChange(null, 0.9, 'higher'), null);
  assert.equal(baselineChange(0.9, undefined, 'higher'), null);
});

test('the threshold slider: the nearest point, the lower one on a tie; the counts are the exact confusion there', () => {
  const points = [0, 0.25, 0.5, 0.75, 1].map((t) => ({ threshold: t, tp: t * 4, fp: 0, tn: 0, fn: 0, precision: null, recall: null, fpr: null }));
  assert.equal(thresholdPointAt(points, 0.3)?.threshold, 0.25);
  assert.equal(thresholdPointAt(points, 0.375)?.threshold, 0.25);
  assert.equal(thresholdPointAt(points, 0.9)?.threshold, 1);
  assert.equal(thresholdPointAt(points, -3)?.threshold, 0);
  assert.equal(thresholdPointAt([], 0.5), undefined);

  const overall = sampleReport().overall;
  const at = thresholdPointAt(overall.plots!.thresholds!, 0.7)!;
  assert.equal(at.threshold, 0.7);
  assert.equal(at.tp + at.fp + at.tn + at.fn, overall.count);
  const low = thresholdPointAt(overall.plots!.thresholds!, 0.2)!;
  assert.ok(low.tp + low.fp > at.tp + at.fp, 'a lower threshold predicts more positives');
  assert.equal(thresholdPointAt(overall.plots!.thresholds!, DECISION_THRESHOLD + 0.004)?.threshold, DECISION_THRESHOLD);
});

test("fixture sanity: the decision threshold's confusion gives the reported accuracy, precision and recall", () => {
  const r = sampleReport();
  const c = thresholdPointAt(r.overall.plots!.thresholds!, r.decisionThreshold)!;
  assert.equal(r.overall.metrics.accuracy, (c.tp + c.tn) / r.overall.count);
  assert.equal(r.overall.metrics.precision, c.precision);
  assert.equal(r.overall.metrics.recall, c.recall);
  assert.deepEqual(confusion([], 0.5), { threshold: 0.5, tp: 0, fp: 0, tn: 0, fn: 0, precision: null, recall: null, fpr: null });
});

test('the slice table: report order, a minimum count, sorting by any column with missing values last', () => {
  const { slices } = sampleReport();
  const names = (s: typeof slices) => s.map((x) => x.name.replace('payment_type:', ''));
  assert.deepEqual(names(orderedSlices(slices, undefined)), ['Cash', 'Credit Card', 'Mobile', 'Prcard']);
  assert.deepEqual(names(orderedSlices(slices, undefined, 10)), ['Cash', 'Credit Card', 'Mobile']);
  assert.deepEqual(names(orderedSlices(slices, undefined, 100)), ['Cash', 'Credit Card']);
  assert.deepEqual(names(orderedSlices(slices, { column: 'auc', descending: true })), ['Mobile', 'Credit Card', 'Cash', 'Prcard']);
  assert.deepEqual(names(orderedSlices(slices, { column: 'auc', descending: false })), ['Cash', 'Credit Card', 'Mobile', 'Prcard']);
  assert.deepEqual(names(orderedSlices(slices, { column: SLICE_COUNT, descending: true })), ['Credit Card', 'Cash', 'Mobile', 'Prcard']);
  assert.deepEqual(names(orderedSlices(slices, { column: SLICE_NAME, descending: true })), ['Prcard', 'Mobile', 'Credit Card', 'Cash']);
  assert.deepEqual(names(orderedSlices(slices, { column: SLICE_FLAGGED, descending: true })), ['Cash', 'Credit Card', 'Mobile', 'Prcard']);
  assert.deepEqual(slices[0].worse, ['auc'], 'the fixture flags Cash');
});

test('the contract: a report arrives whole or not at all', () => {
  const good = sampleReport({ failing: true });
  assert.ok(isEvaluationReport(good));
  // JSON writes a curve's infinite threshold as null: still a report.
  const infinite = clone(good);
  infinite.overall.plots!.roc![0].threshold = null;
  assert.ok(isEvaluationReport(infinite));
  const bad: [string, (r: EvaluationReport) => void][] = [
    ['another format', (r) => ((r as { format: string }).format = 'mlops-anomalies')],
    ['a count as text', (r) => ((r.slices[1] as { count: unknown }).count = '160')],
    ['a metric as text', (r) => ((r.overall.metrics as Record<string, unknown>).auc = '0.9')],
    ['an unknown outcome', (r) => ((r.blessing.checks[0] as { outcome: string }).outcome = 'maybe')],
    ['a group without rows', (r) => delete (r.fairness[0].groups[0] as Partial<(typeof r.fairness)[0]['groups'][0]>).count],
    ['an interval of one number', (r) => ((r.overall.intervals as Record<string, unknown>).auc = [0.8])],
  ];
  for (const [what, spoil] of bad) {
    const r = clone(good);
    spoil(r);
    assert.equal(isEvaluationReport(r), false, what);
  }
  assert.ok(isToWebviewMessage({ type: 'empty', payload: { runId: 3, message: 'no evaluation' } }));
  assert.equal(isToWebviewMessage({ type: 'view', payload: { runId: 3 } }), false);
});

test('messages from the page and its saved state are checked', () => {
  assert.ok(isFromWebviewMessage({ type: 'ready', payload: { runId: null } }));
  assert.ok(isFromWebviewMessage({ type: 'exportChart', payload: { chart: 'roc', format: 'svg', data: '<svg/>' } }));
  assert.ok(
    isFromWebviewMessage({
      type: 'rendered',
      payload: {
        tab: 'plots',
        sliceRows: 3,
        flagged: 1,
        charts: ['roc'],
        confusion: { slice: 'Overall', threshold: 0.5, tp: 1, fp: 2, tn: 3, fn: 4 },
        checks: 4,
      },
    }),
  );
  assert.equal(
    isFromWebviewMessage({ type: 'rendered', payload: { tab: 'elsewhere', sliceRows: 3, flagged: 1, charts: [], confusion: null, checks: 0 } }),
    false,
  );
  assert.equal(isFromWebviewMessage({ type: 'exportChart', payload: { chart: 'roc', format: 'gif', data: '' } }), false);
  assert.ok(isEvaluationState({ runId: 3, tab: 'slices', sort: { column: 'auc', descending: true }, minCount: 20, threshold: 0.35, slice: 'Overall' }));
  assert.equal(isEvaluationState({ runId: 3, threshold: 2 }), false);
  assert.equal(isEvaluationState({ runId: 3, minCount: -1 }), false);
  assert.equal(isEvaluationState({ runId: 0 }), false);
});

function artifact(id: number, type: string, uri: string, extra: Partial<LinkedArtifact> = {}): LinkedArtifact {
  return {
    id,
    type,
    uri,
    state: 'live',
    contentHash: null,
    sizeBytes: null,
    properties: {},
    createdAt: 0,
    executionId: 1,
    role: 'output',
    name: 'evaluation',
    ...extra,
  };
}

test("the run's evaluation: its newest live ModelEvaluation output, whose folder holds evaluation.json", () => {
  const details = {
    artifacts: [
      artifact(1, 'ModelEvaluation', '/a/old'),
      artifact(5, 'ModelEvaluation', '/a/new'),
      artifact(7, 'ModelEvaluation', '/a/gone', { state: 'deleted' }),
      artifact(8, 'ModelEvaluation', '/a/input', { role: 'input' }),
      artifact(9, 'ModelBlessing', '/a/blessing'),
    ],
  } as unknown as RunDetails;
  assert.equal(evaluationArtifact(details)?.uri, '/a/new');
  assert.equal(evaluationArtifact({ artifacts: [] } as unknown as RunDetails), undefined);
  assert.equal(evaluationFilePath('/a/new', '/ws'), path.join('/a/new', 'evaluation.json'));
  assert.equal(evaluationFilePath('rel/eval', '/ws'), path.join('/ws/rel/eval', 'evaluation.json'));
  assert.equal(evaluationFilePath('/a/b/Report.JSON', '/ws'), '/a/b/Report.JSON');
  assert.equal(evaluationFilePath('file:///a/with%20space', '/ws'), path.join('/a/with space', 'evaluation.json'));
});

test('reading evaluation.json: a clear message for a missing, broken, newer or foreign file', async () => {
  const dir = tempDir('evaluation-read');
  const file = path.join(dir, 'evaluation.json');
  fs.writeFileSync(file, JSON.stringify(sampleReport()));
  const report = await readEvaluation(file);
  assert.equal(report.slices.length, 4);
  await assert.rejects(readEvaluation(path.join(dir, 'nope.json')), /nope\.json cannot be read/);
  fs.writeFileSync(file, '{"format": "mlops-evaluation",');
  await assert.rejects(readEvaluation(file), /evaluation\.json is not valid JSON/);
  fs.writeFileSync(file, JSON.stringify({ ...sampleReport(), version: 99 }));
  await assert.rejects(readEvaluation(file), /newer mlops \(evaluation format version 99/);
  fs.writeFileSync(file, JSON.stringify({ format: 'mlops-evaluation', version: 1 }));
  await assert.rejects(readEvaluation(file), /is not an mlops evaluation/);
});

test("a version's blessing: from its evaluation folder, else a blessing folder, else none", async () => {
  const dir = tempDir('evaluation-blessing');
  const evaluation = path.join(dir, 'evaluation');
  const blessing = path.join(dir, 'blessing');
  fs.mkdirSync(evaluation);
  fs.mkdirSync(blessing);
  const report = sampleReport({ failing: true });
  fs.writeFileSync(path.join(evaluation, 'evaluation.json'), JSON.stringify(report));
  fs.writeFileSync(path.join(blessing, 'blessing.json'), JSON.stringify({ ...report.blessing, checks: report.blessing.checks.slice(0, 1) }));
  assert.deepEqual(await readBlessing(evaluation, dir), report.blessing);
  assert.equal((await readBlessing('blessing', dir))?.checks.length, 1);
  assert.equal(await readBlessing(path.join(dir, 'missing'), dir), undefined);
});

test('large regressions: a metric that lost 10% or more of its baseline, worst first, in its own direction', () => {
  const fell = largeRegressions(
    { auc: 0.78, recall: 0.018, f1: 0.035, precision: 0.5, log_loss: 0.62, example_count: 10, accuracy: 0.7 },
    { auc: 0.79, recall: 0.564, f1: 0.528, precision: 0.49, log_loss: 0.41, example_count: 500, accuracy: 0.701 },
    evaluationDirection,
  );
  assert.deepEqual(
    fell.map((r) => r.metric),
    ['recall', 'f1', 'log_loss'],
    'auc fell 1%, precision rose, counts have no direction',
  );
  assert.equal(
    regressionText(fell[0], (v) => String(v)),
    'recall 0.564 → 0.018 (−97%)',
  );
  assert.equal(
    regressionText(fell[2], (v) => String(v)),
    'log_loss 0.41 → 0.62 (+51%)',
  );
  assert.deepEqual(largeRegressions({ recall: 0.003 }, { recall: 0.004 }, evaluationDirection), [], 'a fall of 0.001 is noise, whatever its share');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVALUATION_FORMAT, evaluateModel, type EvaluationData } from '../../../src/core/evaluate';
import { assertUserError, binaryData, close, located, request } from './fixtures';

const LABELS = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1];
const SCORES = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.4, 0.3, 0.3, 0.1, 0.95, 0.85];
const HOUR = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2];
const PAYMENT = ['Cash', 'Card', 'Cash', 'Card', 'Cash', 'Card', 'Cash', 'Card', 'Cash', 'Card', null, 'Cash'];

/** Every number anywhere in the report, with its path. */
function numbers(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
  return [];
}

describe('evaluateModel', () => {
  const data = binaryData(
    LABELS,
    SCORES,
    { hour: HOUR, payment: PAYMENT },
    SCORES.map((s) => 1 - s),
  );
  const report = evaluateModel(request(data, { slices: [located({ features: ['hour'] }), located({ features: ['payment'] })], minSliceSize: 3 }));

  it('describes what was evaluated', () => {
    assert.equal(report.format, EVALUATION_FORMAT);
    assert.equal(report.task, 'binary');
    assert.deepEqual(report.classes, ['no', 'yes']);
    assert.equal(report.decisionThreshold, 0.5);
    assert.deepEqual(report.data, { source: 'split eval of run #2', rows: 12, skippedRows: 0 });
    assert.equal(report.candidate.label, 'run #2');
    assert.equal(report.baseline?.label, 'taxi@1 (production)');
    assert.equal(report.minSliceSize, 3);
    assert.deepEqual(report.fairness, []);
    assert.deepEqual(report.blessing, { blessed: true, baseline: 'taxi@1 (production)', checks: [] });
  });

  it('measures Overall and every slice above the minimum size, with the baseline on the same rows', () => {
    assert.equal(report.overall.name, 'Overall');
    assert.equal(report.overall.count, 12);
    assert.deepEqual(
      report.slices.map((s) => [s.name, s.count, s.belowMinSize]),
      [
        ['hour:1', 10, false],
        ['hour:2', 2, true],
        ['payment:Card', 5, false],
        ['payment:Cash', 6, false],
      ],
    );
    // hour:1 holds exactly the rows of the sklearn reference in metrics.test.ts.
    const hour1 = report.slices[0];
    close(hour1.metrics.auc, 0.68);
    // The baseline's scores are reversed: its AUC is the complement.
    close(hour1.baseline!.auc, 0.32);
    assert.deepEqual(report.slices[1].metrics, {});
    assert.equal(report.slices[1].baseline, undefined);
    assert.equal(report.slices[1].plots, undefined);
  });

  it('draws the plots of each measured slice', () => {
    const plots = report.slices[0].plots!;
    assert.equal(plots.thresholds!.length, 101);
    assert.deepEqual(plots.roc!.at(-1), { fpr: 1, tpr: 1, threshold: 0.1 });
    assert.equal(plots.pr![0].precision, 1);
    assert.equal(
      plots.calibration!.reduce((sum, b) => sum + b.count, 0),
      10,
    );
  });

  it('gives null, never NaN, for what a slice cannot define', () => {
    const oneClass = evaluateModel(request(binaryData([1, 1, 0], [0.3, 0.6, 0.2], { hour: [1, 1, 2] }), { slices: [located({ features: ['hour'] })] }));
    assert.equal(oneClass.slices[0].metrics.auc, null);
    assert.equal(oneClass.slices[1].metrics.precision, null);
    assert.equal(oneClass.slices[0].plots!.roc, undefined);
    for (const [path, x] of numbers(report)) assert.ok(Number.isFinite(x), `${path} is ${x}`);
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });

  it('evaluates multiclass models with a confusion matrix per slice', () => {
    const multiclass: EvaluationData = {
      task: 'multiclass',
      classes: ['Cash', 'Card', 'Mobile'],
      labels: Float64Array.from([0, 1, 2, 2, 1]),
      candidate: { scores: new Float64Array(0), probabilities: Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.5, 0.3, 0.2, 0.3, 0.6, 0.1]) },
      features: new Map([['day', ['mon', 'mon', 'tue', 'tue', 'tue']]]),
    };
    const result = evaluateModel(request(multiclass, { slices: [located({ features: ['day'] })] }));
    assert.deepEqual(result.overall.plots, {
      confusionMatrix: [
        [1, 0, 0],
        [0, 2, 0],
        [1, 0, 1],
      ],
    });
    close(result.overall.metrics.accuracy, 0.8);
    assert.equal(result.overall.metrics['recall/Mobile'], 0.5);
    assert.deepEqual(
      result.slices.map((s) => s.name),
      ['day:mon', 'day:tue'],
    );
  });

  it('evaluates regression models with calibration over the prediction range', () => {
    const regression: EvaluationData = {
      task: 'regression',
      labels: Float64Array.from([3, 5, 7, 9]),
      candidate: { scores: Float64Array.from([2, 5, 8, 12]) },
      features: new Map(),
    };
    const result = evaluateModel(request(regression));
    close(result.overall.metrics.mae, 1.25);
    const calibration = result.overall.plots!.calibration!;
    assert.equal(calibration[0].lower, 2);
    assert.equal(calibration.at(-1)!.upper, 12);
    assert.equal(result.classes, undefined);
  });

  it('reports a slice on a missing feature before computing anything', () => {
    assertUserError(() => evaluateModel(request(data, { slices: [located({ features: ['company'] }, 17)] })), 17, "slice feature 'company'", 'hour, payment');
  });
});

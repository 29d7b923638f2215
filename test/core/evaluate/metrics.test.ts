import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binaryColumns, binaryMetrics, byDecreasingScore } from '../../../src/core/evaluate/binaryMetrics';
import { defaultDirection, FAIRNESS_METRICS, higherIsBetter, isKnownMetricName, metricNamesFor } from '../../../src/core/evaluate/metricNames';
import { multiclassColumns, multiclassMetrics } from '../../../src/core/evaluate/multiclassMetrics';
import { regressionMetrics } from '../../../src/core/evaluate/regressionMetrics';
import { allRows, close } from './fixtures';

// Reference values below were computed once with scikit-learn 1.2.1 / numpy 1.24 on these inputs
// (roc_auc_score, average_precision_score, log_loss(eps=1e-15), f1_score, r2_score, ...).
const LABELS = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0];
const SCORES = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.4, 0.3, 0.3, 0.1];

function binary(labels: number[], scores: number[], weights?: number[], threshold = 0.5) {
  const columns = binaryColumns(labels, Float64Array.from(scores));
  return binaryMetrics(columns, byDecreasingScore(allRows(labels.length), columns.scores), threshold, weights && Uint8Array.from(weights));
}

describe('binary metrics', () => {
  it('match sklearn on scores with ties', () => {
    const m = binary(LABELS, SCORES);
    assert.equal(m.example_count, 10);
    // Pairs won by the positives .9 .8 .7 .4 .3 over the negatives .8 .6 .6 .3 .1: 5 + 4.5 + 4 + 2 + 1.5 = 17 of 25.
    close(m.auc, 0.68);
    close(m.auc_pr, 0.7087301587301587);
    close(m.log_loss, 0.6709497382889829);
    // At 0.5: predicted positive .9 .8 .8 .7 .6 .6 → tp 3, fp 3, fn 2, tn 2.
    close(m.accuracy, 0.5);
    close(m.precision, 0.5);
    close(m.recall, 0.6);
    close(m.f1, 0.5454545454545454);
    close(m.mean_label, 0.5);
    close(m.mean_prediction, 0.55);
    close(m.calibration, 1.1);
  });

  it('count each row as many times as its weight (sklearn sample_weight)', () => {
    const m = binary(LABELS, SCORES, [2, 0, 1, 3, 1, 0, 1, 2, 1, 4]);
    assert.equal(m.example_count, 15);
    close(m.auc, 0.8571428571428572);
    close(m.auc_pr, 0.8409090909090909);
    close(m.log_loss, 0.4707686662765978);
    close(m.f1, 0.7142857142857143);
  });

  it('treat score == threshold as positive and clip log loss', () => {
    const m = binary([1, 0], [0.5, 0]);
    assert.equal(m.precision, 1);
    assert.equal(m.recall, 1);
    // Scores of exactly 0 and 1 are clipped to [1e-15, 1 − 1e-15], so a confident mistake costs ≈ 34.5, not ∞.
    close(m.log_loss, (-Math.log(0.5) - Math.log(1 - 1e-15)) / 2);
    close(binary([1], [0]).log_loss, -Math.log(1e-15));
    close(binary([0], [1]).log_loss, -Math.log(1 - (1 - 1e-15)));
  });

  it('are null (never NaN) when the rows cannot define them', () => {
    const oneClass = binary([1, 1, 1], [0.2, 0.6, 0.9]);
    assert.equal(oneClass.auc, null);
    close(oneClass.auc_pr, 1);
    assert.equal(binary([0, 0], [0.2, 0.3]).auc_pr, null);
    assert.equal(binary([0, 0], [0.2, 0.3]).recall, null);
    assert.equal(binary([0, 0], [0.2, 0.3]).calibration, null);
    assert.equal(binary([0, 1], [0.2, 0.3]).precision, null, 'nothing predicted positive');
    assert.equal(binary([0, 1], [0.2, 0.3]).f1, 0);
    const empty = binary([], []);
    assert.equal(empty.example_count, 0);
    for (const [name, value] of Object.entries(empty)) if (name !== 'example_count') assert.equal(value, null, name);
    assert.deepEqual(Object.keys(empty), metricNamesFor('binary'));
  });
});

describe('multiclass metrics', () => {
  const labels = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2];
  // Four classes, the last never the label nor the prediction; row 8 ties classes 0 and 1 (argmax takes 0).
  const probabilities = [
    [0.7, 0.2, 0.1, 0],
    [0.3, 0.4, 0.3, 0],
    [0.2, 0.2, 0.6, 0],
    [0.5, 0.3, 0.2, 0],
    [0.1, 0.8, 0.1, 0],
    [0.2, 0.5, 0.3, 0],
    [0.1, 0.1, 0.8, 0],
    [0.6, 0.3, 0.1, 0],
    [0.4, 0.4, 0.2, 0],
    [0.3, 0.3, 0.4, 0],
  ].flat();
  const classes = ['a', 'b', 'c', 'd'];

  it('match sklearn: accuracy, macro and weighted F1 over present classes, log loss, per-class precision and recall', () => {
    const columns = multiclassColumns(labels, Float64Array.from(probabilities), classes);
    const m = multiclassMetrics(columns, allRows(10));
    assert.deepEqual(Object.keys(m), metricNamesFor('multiclass', classes));
    assert.equal(m.example_count, 10);
    close(m.accuracy, 0.7);
    close(m.macro_f1, 0.6984126984126985);
    close(m.weighted_f1, 0.7142857142857142);
    close(m.log_loss, 0.8485508495149755);
    close(m['precision/a'], 0.5);
    close(m['precision/b'], 2 / 3);
    close(m['precision/c'], 1);
    close(m['recall/a'], 2 / 3);
    close(m['recall/c'], 0.75);
    assert.equal(m['precision/d'], null);
    assert.equal(m['recall/d'], null);
  });

  it('rejects a label that is not a class index', () => {
    assert.throws(() => multiclassColumns([3], Float64Array.from([0.5, 0.5]), ['a', 'b']), /label 3/);
  });
});

describe('regression metrics', () => {
  const columns = { labels: [3, -0.5, 2, 7, 0, 4.5], predictions: [2.5, 0, 2, 8, 0.3, 4] };

  it('match sklearn; mape is a fraction over the rows whose label is not 0', () => {
    const m = regressionMetrics(columns, allRows(6));
    assert.deepEqual(Object.keys(m), metricNamesFor('regression'));
    close(m.mae, 0.4666666666666666);
    close(m.rmse, 0.5537749241945383);
    close(m.r2, 0.9538075313807531);
    close(m.mape, 0.2841269841269841);
    close(m.mean_label, 16 / 6);
    close(m.mean_prediction, 16.8 / 6);
  });

  it('weight rows like sklearn sample_weight', () => {
    const m = regressionMetrics(columns, allRows(6), Uint8Array.from([1, 2, 0, 1, 3, 1]));
    close(m.r2, 0.9594416527079843);
    close(m.mae, 0.4875);
  });

  it('give r2 null on constant labels and mape null when every label is 0', () => {
    const m = regressionMetrics({ labels: [0.1, 0.1, 0.1], predictions: [0.2, 0.1, 0] }, allRows(3));
    assert.equal(m.r2, null);
    assert.equal(regressionMetrics({ labels: [0, 0], predictions: [1, 2] }, allRows(2)).mape, null);
    assert.equal(regressionMetrics(columns, new Int32Array(0)).rmse, null);
  });
});

describe('metric names and directions', () => {
  it('know which way each metric improves', () => {
    for (const m of ['auc', 'auc_pr', 'accuracy', 'f1', 'macro_f1', 'weighted_f1', 'r2', 'recall/cash', 'demographic_parity_ratio']) {
      assert.equal(defaultDirection(m), 'higher', m);
      assert.ok(higherIsBetter(m), m);
    }
    for (const m of ['log_loss', 'mae', 'rmse', 'mape', 'equalized_odds_difference']) assert.equal(defaultDirection(m), 'lower', m);
    for (const m of ['calibration', 'example_count', 'mean_label', 'mean_prediction']) {
      assert.equal(defaultDirection(m), undefined, m);
      assert.ok(!higherIsBetter(m), m);
    }
  });

  it('recognise names of any task, per-class names included', () => {
    for (const m of ['auc', 'macro_f1', 'rmse', 'precision/Cash', ...FAIRNESS_METRICS]) assert.ok(isKnownMetricName(m), m);
    for (const m of ['AUC', 'precision/', 'f1/x', 'accuracy_score']) assert.ok(!isKnownMetricName(m), m);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binaryColumns, binaryMetrics, byDecreasingScore } from '../../../src/core/evaluate/binaryMetrics';
import { calibrationBuckets, downsample, MAX_CURVE_POINTS, prCurve, rocCurve, thresholdPoints } from '../../../src/core/evaluate/curves';
import { mulberry32 } from '../../../src/core/util/random';
import { allRows, close } from './fixtures';

const LABELS = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0];
const SCORES = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.4, 0.3, 0.3, 0.1];
const columns = binaryColumns(LABELS, Float64Array.from(SCORES));
const sorted = byDecreasingScore(allRows(10), columns.scores);

describe('threshold points', () => {
  it('count score >= t as positive at t = 0, 0.01, …, 1', () => {
    const points = thresholdPoints(columns, sorted);
    assert.equal(points.length, 101);
    assert.deepEqual(
      points.map((p) => p.threshold).filter((_, i) => i % 25 === 0),
      [0, 0.25, 0.5, 0.75, 1],
    );
    assert.deepEqual(points[0], { threshold: 0, tp: 5, fp: 5, tn: 0, fn: 0, precision: 0.5, recall: 1, fpr: 1 });
    assert.deepEqual(points[30], { threshold: 0.3, tp: 5, fp: 4, tn: 1, fn: 0, precision: 5 / 9, recall: 1, fpr: 0.8 });
    assert.deepEqual(points[50], { threshold: 0.5, tp: 3, fp: 3, tn: 2, fn: 2, precision: 0.5, recall: 0.6, fpr: 0.6 });
    assert.deepEqual(points[80], { threshold: 0.8, tp: 2, fp: 1, tn: 4, fn: 3, precision: 2 / 3, recall: 0.4, fpr: 0.2 });
    assert.deepEqual(points[100], { threshold: 1, tp: 0, fp: 0, tn: 5, fn: 5, precision: null, recall: 0, fpr: 0 });
  });
});

describe('ROC and PR curves', () => {
  it('give the exact ROC vertices, whose trapezoid area is the AUC', () => {
    const roc = rocCurve(columns, sorted)!;
    assert.deepEqual(
      roc.map((p) => [p.fpr, p.tpr]),
      [
        [0, 0],
        [0, 0.2],
        [0.2, 0.4],
        [0.2, 0.6],
        [0.6, 0.6],
        [0.6, 0.8],
        [0.8, 1],
        [1, 1],
      ],
    );
    assert.deepEqual(
      roc.map((p) => p.threshold),
      [1.9, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.1],
    );
    let area = 0;
    for (let i = 1; i < roc.length; i++) area += ((roc[i].fpr - roc[i - 1].fpr) * (roc[i].tpr + roc[i - 1].tpr)) / 2;
    close(area, binaryMetrics(columns, sorted, 0.5).auc!);
  });

  it('give the PR curve in increasing recall, whose step sum is the average precision', () => {
    const pr = prCurve(columns, sorted)!;
    assert.deepEqual(pr[0], { recall: 0.2, precision: 1, threshold: 0.9 });
    assert.deepEqual(pr[pr.length - 1], { recall: 1, precision: 0.5, threshold: 0.1 });
    let ap = 0;
    for (let i = 0; i < pr.length; i++) ap += (pr[i].recall - (i ? pr[i - 1].recall : 0)) * pr[i].precision;
    close(ap, binaryMetrics(columns, sorted, 0.5).auc_pr!);
  });

  it('are left out when the rows hold one class, and down-sampled on many rows', () => {
    const oneClass = binaryColumns([0, 0], Float64Array.from([0.1, 0.2]));
    assert.equal(rocCurve(oneClass, allRows(2)), undefined);
    assert.equal(prCurve(oneClass, allRows(2)), undefined);
    const random = mulberry32(3);
    const n = 5000;
    const many = binaryColumns(
      Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0)),
      Float64Array.from({ length: n }, () => random()),
    );
    const roc = rocCurve(many, byDecreasingScore(allRows(n), many.scores))!;
    assert.equal(roc.length, MAX_CURVE_POINTS);
    assert.deepEqual([roc[0].fpr, roc[0].tpr, roc[roc.length - 1].fpr, roc[roc.length - 1].tpr], [0, 0, 1, 1]);
  });

  it('down-sampling keeps the ends and evenly spaced points', () => {
    const points = Array.from({ length: 1000 }, (_, i) => i);
    const kept = downsample(points, 200);
    assert.equal(kept.length, 200);
    assert.equal(kept[0], 0);
    assert.equal(kept[199], 999);
    assert.ok(kept.every((p, i) => i === 0 || p > kept[i - 1]));
    assert.equal(downsample([1, 2, 3], 200).length, 3);
  });
});

describe('calibration buckets', () => {
  it('average predictions and labels in the non-empty equal-width buckets', () => {
    const buckets = calibrationBuckets(allRows(10), columns.scores, columns.positive, 0, 1);
    assert.deepEqual(
      buckets.map((b) => b.count),
      [1, 2, 1, 2, 1, 2, 1],
    );
    const eighth = buckets.find((b) => b.meanPrediction === 0.8)!;
    close(eighth.lower, 0.8);
    close(eighth.upper, 0.9);
    assert.equal(eighth.meanLabel, 0.5);
    close(buckets[buckets.length - 1].upper, 1);
  });

  it('span the prediction range for regression, one bucket when every prediction is equal', () => {
    const buckets = calibrationBuckets(allRows(4), [10, 12, 20, 30], [11, 12, 19, 33], 10, 30, 2);
    assert.deepEqual(buckets, [
      { lower: 10, upper: 20, count: 2, meanPrediction: 11, meanLabel: 11.5 },
      { lower: 20, upper: 30, count: 2, meanPrediction: 25, meanLabel: 26 },
    ]);
    assert.equal(calibrationBuckets(allRows(3), [5, 5, 5], [1, 2, 3], 5, 5).length, 1);
  });
});

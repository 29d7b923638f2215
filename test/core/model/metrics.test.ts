import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialEarlyStopping, observeEpoch, type EarlyStoppingConfig } from '../../../src/core/model/earlyStopping';
import { EpochMetrics } from '../../../src/core/model/epochMetrics';
import {
  binaryAccuracy,
  confusion,
  meanAbsoluteError,
  multiclassAccuracy,
  precision,
  recall,
  rocAuc,
  rootMeanSquaredError,
} from '../../../src/core/model/metrics';
import { mulberry32 } from '../../../src/core/util/random';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('metrics', () => {
  it('AUC counts tied positive/negative pairs as one half', () => {
    // Positives score 0.8, 0.6, 0.4; negatives 0.6, 0.2, 0.4. Pairs won: 3 + (0.5 + 1 + 1) + (0 + 1 + 0.5) = 7 of 9.
    close(rocAuc([1, 1, 0, 1, 0, 0], [0.8, 0.6, 0.6, 0.4, 0.2, 0.4]), 7 / 9);
    // One score for everything: every pair ties.
    close(rocAuc([1, 0, 1, 0], [0.3, 0.3, 0.3, 0.3]), 0.5);
  });

  it('AUC is 1 for a perfect ranking, 0 for a reversed one, NaN with one class', () => {
    assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
    assert.equal(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]), 0);
    assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.4])));
  });

  it('precision, recall and accuracy at the 0.5 threshold', () => {
    const c = confusion([1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.1, 0.5]);
    assert.deepEqual(c, { tp: 2, fp: 1, tn: 1, fn: 1 });
    close(precision(c), 2 / 3);
    close(recall(c), 2 / 3);
    close(binaryAccuracy(c), 3 / 5);
    // Nothing predicted positive: precision 0 (Keras), not NaN.
    assert.equal(precision(confusion([1, 0], [0.1, 0.2])), 0);
  });

  it('rmse, mae and multiclass accuracy', () => {
    close(rootMeanSquaredError([1, 2, 3], [2, 2, 5]), Math.sqrt(5 / 3));
    close(meanAbsoluteError([1, 2, 3], [2, 2, 5]), 1);
    // Rows: argmax 2, 0, 1 (first of the tied 0.5s is 1); labels 2, 1, 1.
    close(multiclassAccuracy([2, 1, 1], [0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0, 0.5, 0.5], 3), 2 / 3);
  });

  it('the streaming training AUC (score histogram) agrees with the exact one', () => {
    const random = mulberry32(3);
    const labels = Float32Array.from({ length: 5000 }, () => (random() < 0.4 ? 1 : 0));
    const scores = Float32Array.from(labels, (y) => Math.min(1, Math.max(0, 0.35 + 0.3 * y + (random() - 0.5) * 0.6)));
    const streamed = new EpochMetrics('binary', 1, ['auc'], false);
    for (let at = 0; at < labels.length; at += 128) {
      const size = Math.min(128, labels.length - at);
      streamed.add({ size, labels: labels.subarray(at, at + size), outputs: scores.subarray(at, at + size), loss: 0 });
    }
    close(streamed.result().auc, rocAuc(labels, scores), 1e-4);
  });

  it('epoch metrics weigh each batch loss by its size and name metrics Keras-style', () => {
    const m = new EpochMetrics('regression', 1, ['mae', 'rmse'], true);
    m.add({ size: 2, labels: Float32Array.of(1, 2), outputs: Float32Array.of(2, 2), loss: 0.5 });
    m.add({ size: 1, labels: Float32Array.of(3), outputs: Float32Array.of(5), loss: 4 });
    const r = m.result();
    assert.deepEqual(Object.keys(r), ['loss', 'mae', 'rmse']);
    close(r.loss, (0.5 * 2 + 4) / 3);
    close(r.mae, 1);
    close(r.rmse, Math.sqrt(5 / 3));
  });
});

describe('early stopping', () => {
  const config: EarlyStoppingConfig = { monitor: 'val_loss', patience: 2, mode: 'min', minDelta: 0.01, restoreBest: true };

  it('stops after `patience` epochs without an improvement larger than minDelta', () => {
    let state = initialEarlyStopping();
    const verdicts = [0.5, 0.4, 0.395, 0.41, 0.3].map((value, i) => {
      const v = observeEpoch(config, state, i + 1, value);
      state = v.state;
      return [v.improved, v.stop];
    });
    // 0.395 is within minDelta of 0.4: no improvement; the second epoch without one stops.
    assert.deepEqual(verdicts.slice(0, 4), [
      [true, false],
      [true, false],
      [false, false],
      [false, true],
    ]);
    assert.equal(state.bestEpoch, 5);
  });

  it('maximises in max mode, and NaN never improves', () => {
    const max = { ...config, mode: 'max' as const, minDelta: 0 };
    const first = observeEpoch(max, initialEarlyStopping(), 1, NaN);
    assert.deepEqual([first.improved, first.state.best], [false, null]);
    const second = observeEpoch(max, first.state, 2, 0.7);
    const third = observeEpoch(max, second.state, 3, 0.6);
    assert.deepEqual([second.improved, third.improved, third.state.bestEpoch, third.stop], [true, false, 2, false]);
  });
});

import { argmax } from '../model/metrics';
import { LOG_LOSS_EPSILON } from './binaryMetrics';
import { perClassMetric } from './metricNames';
import { ratio } from './ratio';
import type { MetricValues } from './report';

/** A multiclass model's per-row inputs to its metrics, computed once. */
export interface MulticlassColumns {
  classes: readonly string[];
  labels: Int32Array;
  /** The highest-probability class (the first on ties). */
  predicted: Int32Array;
  /** Each row's log loss. */
  loss: Float64Array;
}

/**
 * Log loss as sklearn computes it: every probability clipped to [ε, 1 − ε], the row renormalised,
 * then −log of the label's share.
 */
export function multiclassColumns(labels: ArrayLike<number>, probabilities: Float64Array, classes: readonly string[]): MulticlassColumns {
  const n = labels.length;
  const k = classes.length;
  if (probabilities.length !== n * k) throw new Error(`expected ${n} × ${k} probabilities, got ${probabilities.length}`);
  const label = new Int32Array(n);
  const predicted = new Int32Array(n);
  const loss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(labels[i]) || labels[i] < 0 || labels[i] >= k) throw new Error(`row ${i}: label ${labels[i]} is not a class index below ${k}`);
    label[i] = labels[i];
    predicted[i] = argmax(probabilities, i * k, k);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += clip(probabilities[i * k + c]);
    loss[i] = -Math.log(clip(probabilities[i * k + label[i]]) / sum);
  }
  return { classes, labels: label, predicted, loss };
}

const clip = (p: number) => Math.min(Math.max(p, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);

/** Weighted counts[actual][predicted]. */
export function confusionMatrix(columns: MulticlassColumns, rows: Int32Array, weights?: ArrayLike<number>): number[][] {
  const k = columns.classes.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const row of rows) counts[columns.labels[row]][columns.predicted[row]] += weights ? weights[row] : 1;
  return counts;
}

/**
 * sklearn's conventions: macro F1 averages the classes present among labels or predictions,
 * weighted F1 weighs each class by its support; a class's precision is null when nothing was
 * predicted as it, its recall null when no row has it.
 */
export function multiclassMetrics(columns: MulticlassColumns, rows: Int32Array, weights?: ArrayLike<number>): MetricValues {
  const counts = confusionMatrix(columns, rows, weights);
  const k = columns.classes.length;
  let count = 0;
  let lossSum = 0;
  for (const row of rows) {
    const w = weights ? weights[row] : 1;
    count += w;
    lossSum += w * columns.loss[row];
  }
  let correct = 0;
  let macroSum = 0;
  let present = 0;
  let weightedSum = 0;
  const perClass: MetricValues = {};
  for (let c = 0; c < k; c++) {
    const tp = counts[c][c];
    let actual = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      actual += counts[c][j];
      predicted += counts[j][c];
    }
    correct += tp;
    const f1 = ratio(2 * tp, actual + predicted);
    if (f1 !== null) {
      macroSum += f1;
      present++;
      weightedSum += f1 * actual;
    }
    perClass[perClassMetric('precision', columns.classes[c])] = ratio(tp, predicted);
    perClass[perClassMetric('recall', columns.classes[c])] = ratio(tp, actual);
  }
  return {
    example_count: count,
    accuracy: ratio(correct, count),
    macro_f1: ratio(macroSum, present),
    weighted_f1: ratio(weightedSum, count),
    log_loss: ratio(lossSum, count),
    ...perClass,
  };
}

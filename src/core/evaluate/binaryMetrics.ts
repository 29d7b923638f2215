import { ratio } from './ratio';
import type { MetricValues } from './report';

/** Log loss clips probabilities away from 0 and 1 so a confident mistake costs a large finite amount. */
export const LOG_LOSS_EPSILON = 1e-15;

/** A binary model's per-row inputs to its metrics, computed once and shared by every slice and resample. */
export interface BinaryColumns {
  /** 1 for a positive label (label >= 0.5, as `confusion` reads it). */
  positive: Uint8Array;
  scores: Float64Array;
  /** Each row's log loss. */
  loss: Float64Array;
}

export function binaryColumns(labels: ArrayLike<number>, scores: Float64Array): BinaryColumns {
  const n = labels.length;
  const positive = new Uint8Array(n);
  const loss = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    positive[i] = labels[i] >= 0.5 ? 1 : 0;
    const p = Math.min(Math.max(scores[i], LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON);
    loss[i] = -Math.log(positive[i] ? p : 1 - p);
  }
  return { positive, scores, loss };
}

/** The rows in decreasing score order (ties by row), the order `binaryMetrics` and the curves read. */
export function byDecreasingScore(rows: Int32Array, scores: ArrayLike<number>): Int32Array {
  return rows.slice().sort((a, b) => scores[b] - scores[a] || a - b);
}

/**
 * Every binary metric in one pass over rows sorted by decreasing score, each row counted `weights[row]`
 * times (a bootstrap resample) or once. AUC is the Mann-Whitney statistic with ties counting one half
 * (as `rocAuc`); auc_pr is sklearn's average precision, Σ (R_k − R_k−1) P_k over the distinct scores;
 * precision, recall, f1 and accuracy predict positive when score >= threshold.
 */
export function binaryMetrics(columns: BinaryColumns, sortedRows: Int32Array, threshold: number, weights?: ArrayLike<number>): MetricValues {
  const { positive, scores, loss } = columns;
  let count = 0;
  let positives = 0;
  let scoreSum = 0;
  let lossSum = 0;
  let predictedTp = 0;
  let predictedFp = 0;
  let aucArea = 0;
  let precisionSum = 0;
  for (let i = 0; i < sortedRows.length;) {
    const score = scores[sortedRows[i]];
    let groupPositives = 0;
    let groupNegatives = 0;
    for (; i < sortedRows.length && scores[sortedRows[i]] === score; i++) {
      const row = sortedRows[i];
      const w = weights ? weights[row] : 1;
      if (w === 0) continue;
      if (positive[row]) groupPositives += w;
      else groupNegatives += w;
      scoreSum += w * score;
      lossSum += w * loss[row];
    }
    // Here `positives` and `count` still hold the rows scored above this group.
    aucArea += groupNegatives * (positives + groupPositives / 2);
    positives += groupPositives;
    count += groupPositives + groupNegatives;
    if (groupPositives > 0) precisionSum += (groupPositives * positives) / count;
    if (score >= threshold) {
      predictedTp += groupPositives;
      predictedFp += groupNegatives;
    }
  }
  const negatives = count - positives;
  const fn = positives - predictedTp;
  const meanLabel = ratio(positives, count);
  const meanPrediction = ratio(scoreSum, count);
  return {
    example_count: count,
    auc: positives > 0 && negatives > 0 ? aucArea / (positives * negatives) : null,
    auc_pr: ratio(precisionSum, positives),
    accuracy: ratio(predictedTp + negatives - predictedFp, count),
    precision: ratio(predictedTp, predictedTp + predictedFp),
    recall: ratio(predictedTp, positives),
    f1: ratio(2 * predictedTp, 2 * predictedTp + predictedFp + fn),
    log_loss: ratio(lossSum, count),
    mean_label: meanLabel,
    mean_prediction: meanPrediction,
    calibration: meanLabel === null || meanLabel === 0 || meanPrediction === null ? null : meanPrediction / meanLabel,
  };
}

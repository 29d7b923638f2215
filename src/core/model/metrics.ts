/**
 * Model metrics as pure functions of labels and scores, shared by training and evaluation.
 * Binary labels are 0/1 and scores P(positive); multiclass labels are class indices.
 */

/** Confusion counts of a binary classifier that predicts positive when score >= threshold. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function confusion(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold = 0.5): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) addToConfusion(c, labels[i], scores[i], threshold);
  return c;
}

export function addToConfusion(c: Confusion, label: number, score: number, threshold = 0.5): void {
  const positive = label >= 0.5;
  if (score >= threshold) positive ? c.tp++ : c.fp++;
  else positive ? c.fn++ : c.tn++;
}

/** Keras's convention: 0 (not NaN) when nothing was predicted positive / there are no positives. */
export const precision = (c: Confusion): number => safeDivide(c.tp, c.tp + c.fp);
export const recall = (c: Confusion): number => safeDivide(c.tp, c.tp + c.fn);
export const binaryAccuracy = (c: Confusion): number => safeDivide(c.tp + c.tn, c.tp + c.fp + c.tn + c.fn);

/**
 * Area under the ROC curve, exactly: the probability that a random positive scores above a random
 * negative, ties counting one half (the Mann-Whitney statistic; the trapezoid rule over every
 * distinct score). NaN when one class is absent.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < order.length;) {
    const score = scores[order[i]];
    let p = 0;
    let n = 0;
    for (; i < order.length && scores[order[i]] === score; i++) labels[order[i]] >= 0.5 ? p++ : n++;
    positives.push(p);
    negatives.push(n);
  }
  return aucFromRankedCounts(positives, negatives);
}

/**
 * AUC from positive and negative counts per score group, groups in decreasing score order (the
 * groups of `rocAuc`, or the bins of a score histogram read from the top).
 */
export function aucFromRankedCounts(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  let pAbove = 0;
  let area = 0;
  let nTotal = 0;
  for (let g = 0; g < positives.length; g++) {
    area += negatives[g] * (pAbove + positives[g] / 2);
    pAbove += positives[g];
    nTotal += negatives[g];
  }
  return pAbove === 0 || nTotal === 0 ? NaN : area / (pAbove * nTotal);
}

/** Share of rows whose highest-probability class (first on ties) is the label. */
export function multiclassAccuracy(labels: ArrayLike<number>, probabilities: ArrayLike<number>, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(probabilities, i * classes, classes) === labels[i]) correct++;
  return safeDivide(correct, labels.length);
}

export function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[offset + k] > values[offset + best]) best = k;
  return best;
}

export function meanAbsoluteError(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += Math.abs(predictions[i] - labels[i]);
  return safeDivide(sum, labels.length);
}

export function rootMeanSquaredError(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum += (predictions[i] - labels[i]) ** 2;
  return Math.sqrt(safeDivide(sum, labels.length));
}

function safeDivide(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

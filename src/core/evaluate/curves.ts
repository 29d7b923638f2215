import type { BinaryColumns } from './binaryMetrics';
import { ratio } from './ratio';
import type { CalibrationBucket, SlicePlots, ThresholdPoint } from './report';

/** Enough points for a smooth curve in the panel, few enough to keep evaluation.json small. */
export const MAX_CURVE_POINTS = 200;
const THRESHOLD_STEPS = 100;
const CALIBRATION_BUCKETS = 10;

/** Confusion counts at thresholds 0, 0.01, …, 1 (score >= threshold is positive), rows sorted by decreasing score. */
export function thresholdPoints({ positive, scores }: BinaryColumns, sortedRows: Int32Array): ThresholdPoint[] {
  const positives = countPositives(positive, sortedRows);
  const negatives = sortedRows.length - positives;
  const points: ThresholdPoint[] = [];
  let tp = 0;
  let fp = 0;
  let next = 0;
  for (let step = THRESHOLD_STEPS; step >= 0; step--) {
    const threshold = step / THRESHOLD_STEPS;
    for (; next < sortedRows.length && scores[sortedRows[next]] >= threshold; next++) positive[sortedRows[next]] ? tp++ : fp++;
    points.push({
      threshold,
      tp,
      fp,
      tn: negatives - fp,
      fn: positives - tp,
      precision: ratio(tp, tp + fp),
      recall: ratio(tp, positives),
      fpr: ratio(fp, negatives),
    });
  }
  return points.reverse();
}

/**
 * Cumulative counts at each distinct score, highest first: the exact vertices of the ROC and PR
 * curves. The first vertex (nothing predicted positive) gets sklearn's threshold, the top score + 1.
 */
function vertices({ positive, scores }: BinaryColumns, sortedRows: Int32Array): { tp: number; fp: number; threshold: number }[] {
  const points = [{ tp: 0, fp: 0, threshold: sortedRows.length ? scores[sortedRows[0]] + 1 : 1 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sortedRows.length;) {
    const threshold = scores[sortedRows[i]];
    for (; i < sortedRows.length && scores[sortedRows[i]] === threshold; i++) positive[sortedRows[i]] ? tp++ : fp++;
    points.push({ tp, fp, threshold });
  }
  return points;
}

/** The ROC curve from (0, 0) to (1, 1); undefined when the rows hold one class. */
export function rocCurve(columns: BinaryColumns, sortedRows: Int32Array): SlicePlots['roc'] {
  const positives = countPositives(columns.positive, sortedRows);
  const negatives = sortedRows.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return downsample(vertices(columns, sortedRows).map(({ tp, fp, threshold }) => ({ fpr: fp / negatives, tpr: tp / positives, threshold })));
}

/** The precision-recall curve in increasing recall, from the top score down; undefined without positives. */
export function prCurve(columns: BinaryColumns, sortedRows: Int32Array): SlicePlots['pr'] {
  const positives = countPositives(columns.positive, sortedRows);
  if (positives === 0) return undefined;
  const points = vertices(columns, sortedRows).slice(1);
  return downsample(points.map(({ tp, fp, threshold }) => ({ recall: tp / positives, precision: tp / (tp + fp), threshold })));
}

/**
 * Mean prediction against mean label in equal-width buckets of [lower, upper] (predictions outside
 * go to the end buckets); empty buckets are left out.
 */
export function calibrationBuckets(
  rows: Int32Array,
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  lower: number,
  upper: number,
  buckets = CALIBRATION_BUCKETS,
): CalibrationBucket[] {
  const width = (upper - lower) / buckets;
  const count = new Float64Array(buckets);
  const predictionSum = new Float64Array(buckets);
  const labelSum = new Float64Array(buckets);
  for (const row of rows) {
    const b = width > 0 ? Math.min(buckets - 1, Math.max(0, Math.floor((predictions[row] - lower) / width))) : 0;
    count[b]++;
    predictionSum[b] += predictions[row];
    labelSum[b] += labels[row];
  }
  const result: CalibrationBucket[] = [];
  for (let b = 0; b < buckets; b++) {
    if (count[b] === 0) continue;
    result.push({
      lower: lower + b * width,
      upper: b === buckets - 1 ? upper : lower + (b + 1) * width,
      count: count[b],
      meanPrediction: predictionSum[b] / count[b],
      meanLabel: labelSum[b] / count[b],
    });
  }
  return result;
}

/** At most `max` points at evenly spaced positions, always keeping the first and the last. */
export function downsample<T>(points: T[], max = MAX_CURVE_POINTS): T[] {
  if (points.length <= max) return points;
  return Array.from({ length: max }, (_, i) => points[Math.round((i * (points.length - 1)) / (max - 1))]);
}

function countPositives(positive: Uint8Array, rows: Int32Array): number {
  let count = 0;
  for (const row of rows) count += positive[row];
  return count;
}

import { ratio } from './ratio';
import type { MetricValues } from './report';

export interface RegressionColumns {
  labels: ArrayLike<number>;
  predictions: ArrayLike<number>;
}

/**
 * sklearn's regression metrics with row weights. r2 is null when the labels do not vary; mape is a
 * fraction (not a percentage) over the rows whose label is not 0, null when every label is 0.
 */
export function regressionMetrics({ labels, predictions }: RegressionColumns, rows: Int32Array, weights?: ArrayLike<number>): MetricValues {
  let count = 0;
  let labelSum = 0;
  let predictionSum = 0;
  let absoluteSum = 0;
  let squaredSum = 0;
  let percentSum = 0;
  let percentCount = 0;
  let minLabel = Infinity;
  let maxLabel = -Infinity;
  for (const row of rows) {
    const w = weights ? weights[row] : 1;
    if (w === 0) continue;
    const y = labels[row];
    const error = predictions[row] - y;
    count += w;
    labelSum += w * y;
    predictionSum += w * predictions[row];
    absoluteSum += w * Math.abs(error);
    squaredSum += w * error * error;
    if (y !== 0) {
      percentSum += (w * Math.abs(error)) / Math.abs(y);
      percentCount += w;
    }
    minLabel = Math.min(minLabel, y);
    maxLabel = Math.max(maxLabel, y);
  }
  const meanLabel = ratio(labelSum, count);
  let labelVariation = 0;
  if (meanLabel !== null && minLabel < maxLabel) {
    for (const row of rows) {
      const w = weights ? weights[row] : 1;
      labelVariation += w * (labels[row] - meanLabel) ** 2;
    }
  }
  const meanSquared = ratio(squaredSum, count);
  return {
    example_count: count,
    mae: ratio(absoluteSum, count),
    rmse: meanSquared === null ? null : Math.sqrt(meanSquared),
    r2: labelVariation > 0 ? 1 - squaredSum / labelVariation : null,
    mape: ratio(percentSum, percentCount),
    mean_label: meanLabel,
    mean_prediction: ratio(predictionSum, count),
  };
}

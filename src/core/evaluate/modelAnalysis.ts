import { binaryColumns, binaryMetrics, byDecreasingScore } from './binaryMetrics';
import { calibrationBuckets, prCurve, rocCurve, thresholdPoints } from './curves';
import { confusionMatrix, multiclassColumns, multiclassMetrics } from './multiclassMetrics';
import { groupRates } from './rates';
import { regressionMetrics } from './regressionMetrics';
import type { GroupRates, MetricValues, SlicePlots } from './report';
import type { EvaluationData, ModelScores } from './types';

/** One model's analysis of one set of rows; prepared once (rows sorted by score), then read many times. */
export interface RowsView {
  /** The task's metrics, each row counted `weights[row]` times (a bootstrap resample) or once. */
  metrics(weights?: ArrayLike<number>): MetricValues;
  plots(): SlicePlots;
  /** Binary only: rates at a decision threshold. */
  rates?(threshold: number): GroupRates;
}

/** One model's predictions on the evaluated rows, ready to analyse any subset of them. */
export type ModelAnalysis = (rows: Int32Array) => RowsView;

export function modelAnalysis(data: EvaluationData, model: ModelScores, decisionThreshold: number): ModelAnalysis {
  const n = data.labels.length;
  if (model.scores.length !== n && data.task !== 'multiclass') throw new Error(`expected ${n} scores, got ${model.scores.length}`);
  switch (data.task) {
    case 'binary': {
      const columns = binaryColumns(data.labels, model.scores);
      return (rows) => {
        const sorted = byDecreasingScore(rows, columns.scores);
        return {
          metrics: (weights) => binaryMetrics(columns, sorted, decisionThreshold, weights),
          plots: () => ({
            thresholds: thresholdPoints(columns, sorted),
            roc: rocCurve(columns, sorted),
            pr: prCurve(columns, sorted),
            calibration: calibrationBuckets(rows, columns.scores, columns.positive, 0, 1),
          }),
          rates: (threshold) => groupRates(columns, rows, threshold),
        };
      };
    }
    case 'multiclass': {
      if (!model.probabilities || !data.classes) throw new Error('a multiclass evaluation needs the classes and their probabilities');
      const columns = multiclassColumns(data.labels, model.probabilities, data.classes);
      return (rows) => ({
        metrics: (weights) => multiclassMetrics(columns, rows, weights),
        plots: () => ({ confusionMatrix: confusionMatrix(columns, rows) }),
      });
    }
    case 'regression': {
      const columns = { labels: data.labels, predictions: model.scores };
      return (rows) => ({
        metrics: (weights) => regressionMetrics(columns, rows, weights),
        plots: () => ({ calibration: calibrationBuckets(rows, model.scores, data.labels, ...predictionRange(model.scores, rows)) }),
      });
    }
  }
}

function predictionRange(predictions: ArrayLike<number>, rows: Int32Array): [number, number] {
  let lower = Infinity;
  let upper = -Infinity;
  for (const row of rows) {
    lower = Math.min(lower, predictions[row]);
    upper = Math.max(upper, predictions[row]);
  }
  return rows.length ? [lower, upper] : [0, 0];
}

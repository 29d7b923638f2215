import * as path from 'node:path';
import { SHARED_DATASETS } from './tmp';

/**
 * The taxi tip classifier with everything a pull request report shows: a skew check that fires
 * (payment_type, training against serving), slices and fairness on payment_type, blessing
 * thresholds, and a push to the registry. `stopOn` decides whether the anomalies stop the run.
 */
export function ciPipeline(options: { epochs: number; aucLower?: number; stopOn?: 'error' | 'never' }): string {
  const taxi = path.join(SHARED_DATASETS, 'taxi');
  return `pipeline: taxi
seed: 7
data:
  train: ${path.join(taxi, 'train.csv')}
  eval: ${path.join(taxi, 'eval.csv')}
  serving: ${path.join(taxi, 'serving.csv')}
features:
  derive:
    big_tipper: "tips > 0.2 * fare"
label: big_tipper
environments:
  serving: { exclude: [tips, big_tipper] }
validate:
  skew: { payment_type: { linf: 0.01 } }
  stop_on: ${options.stopOn ?? 'never'}
transform:
  trip_start_timestamp: drop
  payment_type: vocabulary
  company: vocabulary
train:
  model: { type: dnn, hidden: [8] }
  epochs: ${options.epochs}
  batch_size: 256
evaluate:
  slices: [payment_type]
  fairness: { sensitive: [payment_type] }
  thresholds: { auc: { lower: ${options.aucLower ?? 0.5}, change: { absolute: -0.5 } } }
push: { model: taxi }
`;
}

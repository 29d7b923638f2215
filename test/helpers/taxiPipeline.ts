import * as path from 'node:path';

/**
 * A pipeline training a taxi tip classifier (`big_tipper`, tips never an input) on the shared
 * dataset's train and eval files, for tests and benchmarks that need a real model.
 */
export function taxiPipeline(taxiDir: string, model: { hidden: number[]; epochs: number }): string {
  return `pipeline: taxi
seed: 7
data:
  train: ${path.join(taxiDir, 'train.csv')}
  eval: ${path.join(taxiDir, 'eval.csv')}
features:
  derive:
    big_tipper: "tips > 0.2 * fare"
label: big_tipper
environments:
  serving: { exclude: [tips, big_tipper] }
transform:
  trip_start_timestamp: drop
  payment_type: vocabulary
  company: vocabulary
train:
  model: { type: dnn, hidden: [${model.hidden.join(', ')}] }
  epochs: ${model.epochs}
  batch_size: 256
`;
}

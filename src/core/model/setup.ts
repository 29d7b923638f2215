import type { TaskType, TrainConfig } from '../pipeline/config';
import type { FittedTransform, LabelEncoding, TransformedSplit } from '../transform/types';
import { closest } from '../util/closest';
import { UserError, type SourceLocation } from '../util/problems';
import { TASK_METRICS } from './epochMetrics';

/** What the training loop derives from the settings and the transform before the first batch. */
export interface TrainingSetup {
  task: TaskType;
  label: LabelEncoding;
  /** Output units (classes for multiclass, else 1). */
  units: number;
  /** Metric names besides `loss`, Keras style. */
  metrics: string[];
  /** Every name an epoch reports (`loss`, ..., `val_loss`, ...), for checking the monitor. */
  epochMetricNames: string[];
}

const at = (config: TrainConfig, field: string): SourceLocation => ({ ...config.location, field: `train.${field}` });

export function trainingSetup(config: TrainConfig, transform: FittedTransform, hasValidation: boolean): TrainingSetup {
  const label = transform.label;
  if (!label)
    throw UserError.at('training needs a label, and the transform has none', config.location, 'set `label:` in the pipeline file and run the transform again');
  const task = label.task;
  const units = label.task === 'multiclass' ? label.classes.length : 1;
  const allowed = TASK_METRICS[task];
  const metrics = config.metrics ?? [...allowed];
  for (const m of metrics) {
    if (!allowed.includes(m)) {
      const guess = closest(m, allowed);
      throw UserError.at(
        `metric '${m}' is not available for ${task} models`,
        at(config, 'metrics'),
        guess ? `did you mean '${guess}'?` : `available: ${allowed.join(', ')}`,
      );
    }
  }
  const names = ['loss', ...metrics];
  const epochMetricNames = [...names, ...(hasValidation ? names.map((n) => `val_${n}`) : [])];
  const monitor = config.earlyStopping?.monitor;
  if (monitor !== undefined && !epochMetricNames.includes(monitor)) {
    const guess = closest(monitor, epochMetricNames);
    const why = monitor.startsWith('val_') && !hasValidation ? ' (there is no validation data)' : '';
    throw UserError.at(
      `early_stopping.monitor '${monitor}' is not a metric of this training${why}`,
      at(config, 'early_stopping.monitor'),
      guess ? `did you mean '${guess}'?` : `metrics: ${epochMetricNames.join(', ')}`,
    );
  }
  if (config.classWeights !== undefined && task === 'regression') {
    throw UserError.at('class_weights apply to classifiers, and this label is a regression target', at(config, 'class_weights'));
  }
  return { task, label, units, metrics, epochMetricNames };
}

/**
 * The weight of each class index, or undefined without class weights. `balanced` is scikit-learn's
 * and Keras's n / (k · count_k) over the training split (one streaming pass to count); a map
 * names label values and leaves the classes it does not name at 1.
 */
export async function classWeights(config: TrainConfig, setup: TrainingSetup, train: TransformedSplit): Promise<Float32Array | undefined> {
  const spec = config.classWeights;
  if (spec === undefined || setup.task === 'regression') return undefined;
  const k = setup.units === 1 ? 2 : setup.units;
  if (spec === 'balanced') {
    const counts = new Float64Array(k);
    let n = 0;
    for await (const batch of train.batches({ batchSize: 65536 })) {
      for (let i = 0; i < batch.size; i++) counts[batch.label[i]]++;
      n += batch.size;
    }
    return Float32Array.from(counts, (c) => (c === 0 ? 0 : n / (k * c)));
  }
  const classes = classNames(setup.label);
  const weights = new Float32Array(k).fill(1);
  for (const [value, weight] of Object.entries(spec)) {
    const index = classes.indexOf(value);
    if (index < 0) {
      const guess = closest(value, classes);
      throw UserError.at(
        `class_weights names '${value}', which is not a class of the label`,
        at(config, 'class_weights'),
        guess ? `did you mean '${guess}'?` : `classes: ${classes.join(', ')}`,
      );
    }
    if (!(weight >= 0) || !Number.isFinite(weight))
      throw UserError.at(`class_weights.${value} must be a number >= 0, not ${weight}`, at(config, 'class_weights'));
    weights[index] = weight;
  }
  return weights;
}

/** Class names in class-index order (binary: negative, positive); empty for regression. */
export function classNames(label: LabelEncoding): string[] {
  switch (label.task) {
    case 'binary':
      return [label.negative, label.positive];
    case 'multiclass':
      return label.classes;
    case 'regression':
      return [];
  }
}

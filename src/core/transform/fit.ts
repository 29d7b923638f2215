import type { ExamplesReader } from '../data/examples';
import type { DataSchema } from '../schema/types';
import { UserError } from '../util/problems';
import { derivedColumns } from './derived';
import { featureFitter } from './fitters';
import { fitLabel, LabelCounts } from './label';
import { planTransform, type TransformSettings } from './plan';
import { categoricalSlot } from './defaults';
import { TRANSFORM_FORMAT, TRANSFORM_VERSION, type FeatureLayout, type FittedFeature, type FittedTransform } from './types';

export const TRAIN_SPLIT = 'train';

export interface FitOptions {
  schema?: DataSchema;
  signal?: AbortSignal;
  onProgress?(rows: number, total: number): void;
}

/**
 * Fits every analyzer in one streaming pass over the training split (one row group in memory at
 * a time) and returns the constants the row transform applies everywhere.
 */
export async function fitTransform(examples: ExamplesReader, settings: TransformSettings, options: FitOptions = {}): Promise<FittedTransform> {
  const plan = planTransform(examples.columns, settings, options.schema);
  const total = examples.meta.splits.find((s) => s.name === TRAIN_SPLIT)?.rows ?? 0;
  if (total === 0) {
    throw UserError.at(
      'the training split is empty: there is nothing to fit the transform on',
      settings.data.train?.location ?? { file: settings.file },
      'check data.train and data.split',
    );
  }
  const fitters = plan.features.map((f) => featureFitter(f.value));
  const labels = plan.label ? new LabelCounts() : undefined;
  const scratch = new Float64Array(examples.meta.rowGroupRows);
  let rows = 0;
  for await (const batch of examples.rowGroups(TRAIN_SPLIT)) {
    if (options.signal?.aborted) throw options.signal.reason;
    for (const fitter of fitters) fitter.observe(batch, scratch);
    if (plan.label && labels) labels.addColumn(batch.column(plan.label.column), batch.rows);
    rows += batch.rows;
    options.onProgress?.(rows, total);
  }

  let label: FittedTransform['label'];
  if (plan.label && labels) {
    if (labels.present === 0) {
      throw UserError.at(
        `no training row has a value for the label '${plan.label.column}'`,
        plan.label.location,
        'check the label column, or the missing-value markers in data.missing',
      );
    }
    const trainer = settings.train ?? settings.trainStep;
    label = fitLabel({ ...plan.label, task: trainer?.task, taskLocation: trainer?.location }, labels);
  }

  const features: FittedFeature[] = [];
  const layout: FeatureLayout = { numeric: [], categorical: [] };
  fitters.forEach((fitter, i) => {
    const spec = plan.features[i].value;
    const name = spec.kind === 'cross' ? spec.name : spec.column;
    if (!fitter.categorical) {
      features.push(fitter.finish(layout.numeric.length).feature);
      layout.numeric.push({ name });
      return;
    }
    const { feature, ids } = fitter.finish(layout.categorical.length);
    features.push(feature);
    layout.categorical.push(categoricalSlot(name, ids!.size, ids!, settings.train?.model.embeddingDim));
  });

  return {
    format: TRANSFORM_FORMAT,
    version: TRANSFORM_VERSION,
    inputs: plan.inputs,
    features,
    label,
    layout,
    derived: derivedColumns(examples.columns),
    fittedOn: { split: TRAIN_SPLIT, rows },
    missing: settings.data.missing,
  };
}

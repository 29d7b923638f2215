import type { PipelineConfig, TransformConfig } from '../../pipeline/config';
import { openExamples } from '../../data/examples';
import { loadSchema } from '../../schema';
import type { MetricPoint } from '../../store/types';
import { fitTransform, materializeSplit, TRAIN_SPLIT, writeTransformGraph, type FittedTransform, type MaterializedSplit } from '../../transform';
import type { Executor } from '../executor';
import { upstreamArtifact } from './upstream';
import { formatCount } from '../../util/format';

/** The splits the trainer reads: train to fit on, eval to validate on. Serving data has no label. */
const TRANSFORMED_SPLITS = [TRAIN_SPLIT, 'eval'];

/**
 * Fits the transform on the training split and applies it to train and eval: the fitted constants
 * (transform_graph) travel with the model to serving; the transformed rows feed the trainer.
 */
export function transformExecutor(transform: TransformConfig | undefined): Executor {
  return {
    async fingerprint({ config }) {
      return transformSettings(config, transform);
    },

    async run(ctx) {
      const { config, signal } = ctx;
      const examples = await openExamples(upstreamArtifact(ctx, 'ingest', 'examples').uri);
      const schemaArtifact = ctx.inputs.get('schema')?.find((a) => a.name === 'schema');
      const schema = schemaArtifact ? await loadSchema(schemaArtifact.uri) : undefined;
      const splits = TRANSFORMED_SPLITS.filter((s) => examples.meta.splits.some((x) => x.name === s));
      const totalRows = examples.meta.splits.filter((s) => splits.includes(s.name)).reduce((n, s) => n + s.rows, 0);
      const trainRows = examples.meta.splits.find((s) => s.name === TRAIN_SPLIT)?.rows ?? 0;

      const fitted = await fitTransform(
        examples,
        { ...config, transform },
        {
          schema,
          signal,
          onProgress: (rows) => ctx.progress(`fitting on ${formatCount(rows)} of ${formatCount(trainRows)} training rows`, rows / (trainRows + totalRows)),
        },
      );
      const graphDir = await ctx.outputDir('transform_graph');
      await writeTransformGraph(graphDir, fitted);

      const dataDir = await ctx.outputDir('transformed_examples');
      const written: MaterializedSplit[] = [];
      let done = trainRows;
      for (const split of splits) {
        written.push(
          await materializeSplit(examples, split, fitted, dataDir, {
            signal,
            onRows: (rows) => {
              done += rows;
              ctx.progress(`transforming ${split}`, done / (trainRows + totalRows));
            },
          }),
        );
      }
      for (const w of written) {
        if (w.missingLabel) ctx.log(`warning: ${formatCount(w.missingLabel)} ${w.split} rows have no label '${fitted.label!.column}': left out`);
        if (w.unknownLabel) ctx.log(`warning: ${formatCount(w.unknownLabel)} ${w.split} rows have a label value the training data does not have: left out`);
      }
      const ids = fitted.layout.categorical.reduce((n, c) => n + c.size, 0);
      return {
        outputs: [
          { name: 'transform_graph', type: 'TransformGraph', path: graphDir, managed: true, properties: graphProperties(fitted, ids) },
          {
            name: 'transformed_examples',
            type: 'TransformedExamples',
            path: dataDir,
            managed: true,
            properties: { splits: Object.fromEntries(written.map((w) => [w.split, { rows: w.rows }])) },
          },
        ],
        metrics: metrics(fitted, written),
        summary: describe(fitted, ids, written),
      };
    },
  };
}

/** Everything besides the examples that shapes the output; locations left out so moving a line reuses the cache. */
function transformSettings(config: PipelineConfig, transform: TransformConfig | undefined) {
  return {
    features: (transform?.features ?? []).map((f) => f.value),
    label: config.label?.value,
    environments: Object.fromEntries(Object.entries(config.environments).map(([env, columns]) => [env, columns.map((c) => c.value)])),
    task: (config.train ?? config.trainStep)?.task,
    embeddingDim: config.train?.model.embeddingDim,
    missing: config.data.missing,
  };
}

function graphProperties(fitted: FittedTransform, ids: number): Record<string, unknown> {
  return {
    inputs: fitted.inputs.length,
    numeric: fitted.layout.numeric.length,
    categorical: fitted.layout.categorical.length,
    ids,
    task: fitted.label?.task,
    fittedOnRows: fitted.fittedOn.rows,
  };
}

function metrics(fitted: FittedTransform, written: MaterializedSplit[]): MetricPoint[] {
  const now = Date.now();
  return [
    { key: 'transform.inputs', value: fitted.inputs.length, timestamp: now },
    { key: 'transform.numeric', value: fitted.layout.numeric.length, timestamp: now },
    { key: 'transform.categorical', value: fitted.layout.categorical.length, timestamp: now },
    ...written.map((w) => ({ key: `transformed.${w.split}`, value: w.rows, timestamp: now })),
  ];
}

/** "23 inputs → 14 numeric + 9 categorical (412 ids) · train 8,000 rows · eval 2,000". */
function describe(fitted: FittedTransform, ids: number, written: MaterializedSplit[]): string {
  const { numeric, categorical } = fitted.layout;
  const shape = `${fitted.inputs.length} inputs → ${numeric.length} numeric + ${categorical.length} categorical (${formatCount(ids)} ids)`;
  const splits = written.map((w, i) => `${w.split} ${formatCount(w.rows)}${i === 0 ? ' rows' : ''}`);
  const task = fitted.label ? [`${fitted.label.task} label ${fitted.label.column}`] : [];
  return [shape, ...splits, ...task].join(' · ');
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { missingTest, type Value } from '../data/cells';
import { EVALUATION_FILE, PREDICTIONS_FILE } from '../evaluate/run';
import type { EvaluationReport, MetricValues } from '../evaluate/report';
import type { ResolvedThreshold } from '../evaluate/thresholds';
import { readPackageDescription } from '../model/package';
import type { ModelManifest } from '../model/types';
import type { PipelineConfig } from '../pipeline/config';
import { requireVersion } from '../registry';
import { STATISTICS_FILE } from '../runner/executors/statistics';
import { loadSchema } from '../schema';
import type { ComparatorThresholds, DataSchema } from '../schema/types';
import { csvRows } from '../scoring/rows';
import { computeStatistics, readStatistics } from '../stats';
import type { FeaturePlan } from '../stats/datasets';
import type { DatasetStatistics } from '../stats/types';
import type { RunStore } from '../store';
import type { LinkedArtifact } from '../store/types';
import { requestColumns } from '../transform/derived';
import type { FittedTransform } from '../transform/types';
import { isUserError } from '../util/problems';
import { driftThresholds, EMPTY_SCHEMA, predictionFeatures, PREDICTED_CLASS, SCORE } from './drift';
import { metricBounds, type ModelFacts } from './onlineMetrics';
import { rowStatistics } from './rowStatistics';

/**
 * What one served version is compared with, found through the registry and the run that trained
 * it: its package (inputs, label encoding), the training statistics, the schema, the offline
 * evaluation and its predictions. What cannot be found leaves that check out, with a note why.
 */
export interface VersionReference {
  model: string;
  version: number;
  /** The raw features a request carries, typed as in the training data. */
  features: FeaturePlan[];
  /** Absent for a model without a label encoding: nothing to join ground truth to. */
  facts?: ModelFacts;
  training?: DatasetStatistics;
  schema: DataSchema;
  thresholds: Record<string, ComparatorThresholds>;
  predictionThresholds: ComparatorThresholds;
  /** The offline evaluation's predictions, as statistics of the score and predicted class. */
  predictions?: DatasetStatistics;
  /** The offline evaluation's overall metrics. */
  offline?: MetricValues;
  bounds: ResolvedThreshold[];
  notes: string[];
}

export async function loadVersionReference(store: RunStore, model: string, version: number, config: PipelineConfig | undefined): Promise<VersionReference> {
  const v = requireVersion(store, model, version);
  const notes: string[] = [];
  const { manifest, transform } = await readPackageDescription(await packageFolder(v.uri, v.pushedTo));
  const artifacts = v.runId === null ? [] : (store.getRunDetails(v.runId)?.artifacts ?? []).filter((a) => a.role === 'output' && a.state === 'live');
  if (v.runId === null) notes.push(`the run that trained ${model}@${version} was deleted: no training statistics, schema or offline predictions`);
  const training = await trainingStatistics(artifacts, config, notes);
  const schema = await schemaOf(artifacts);
  const evaluation = await evaluationOf(v.evaluationUri, artifacts);
  if (!evaluation) notes.push(`${model}@${version} has no offline evaluation: online metrics are not compared with one`);
  const features = servedFeatures(transform, training);
  const task = manifest.task;
  const predictions = await offlinePredictions(artifacts, v.evaluationUri, manifest);
  if (!predictions) notes.push('no offline predictions (the evaluate component writes them): prediction drift is not checked');
  const monitor = config?.monitor;
  return {
    model,
    version,
    features,
    facts: transform.label && {
      task,
      classes: manifest.signature.classes,
      label: transform.label,
      isMissing: missingTest(transform.missing ?? []),
      decisionThreshold: evaluation?.decisionThreshold ?? 0.5,
    },
    training,
    schema,
    thresholds: driftThresholds(
      features.map((f) => f.name),
      { monitor: monitor?.drift ?? {}, validate: config?.validate, schema },
    ),
    predictionThresholds: monitor?.predictionDrift ?? { auto: true },
    predictions,
    offline: evaluation?.overall.metrics,
    bounds: metricBounds(monitor?.metrics ?? [], task, manifest.signature.classes),
    notes,
  };
}

/** The version's package: the run's artifact, else the pushed copy (the run may have been deleted). */
async function packageFolder(...dirs: (string | null)[]): Promise<string> {
  for (const dir of dirs) if (dir && (await fs.stat(dir).catch(() => undefined))?.isDirectory()) return dir;
  return dirs[0]!;
}

const newest = (artifacts: readonly LinkedArtifact[], type: string) => artifacts.filter((a) => a.type === type).at(-1);

/** The whole training split: from the run's statistics, else computed from its examples. */
async function trainingStatistics(
  artifacts: readonly LinkedArtifact[],
  config: PipelineConfig | undefined,
  notes: string[],
): Promise<DatasetStatistics | undefined> {
  const isTrain = (d: DatasetStatistics) => d.split === 'train' && d.span === undefined && d.slice === undefined;
  const statistics = newest(artifacts, 'Statistics');
  if (statistics) {
    const found = (await readIfThere(() => readStatistics(path.join(statistics.uri, STATISTICS_FILE))))?.datasets.find(isTrain);
    if (found) return found;
  }
  const examples = newest(artifacts, 'Examples');
  if (examples) {
    const computed = await readIfThere(() => computeStatistics(examples.uri, { categorical: config?.statistics?.categorical, workers: 0 }));
    const found = computed?.datasets.find(isTrain);
    if (found) return found;
  }
  notes.push('no training statistics (the run has neither statistics nor examples left): feature drift is not checked');
  return undefined;
}

async function schemaOf(artifacts: readonly LinkedArtifact[]): Promise<DataSchema> {
  const schema = newest(artifacts, 'Schema');
  return (schema && (await readIfThere(() => loadSchema(schema.uri)))) || EMPTY_SCHEMA;
}

async function evaluationOf(evaluationUri: string | null, artifacts: readonly LinkedArtifact[]): Promise<EvaluationReport | undefined> {
  const dirs = [evaluationUri, newest(artifacts, 'ModelEvaluation')?.uri].filter((d): d is string => !!d);
  for (const dir of dirs) {
    const text = await fs.readFile(path.join(dir, EVALUATION_FILE), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      const report = JSON.parse(text) as EvaluationReport;
      if (report?.overall?.metrics) return report;
    } catch {
      // A damaged report is as good as none: the metrics are then reported without a comparison.
    }
  }
  return undefined;
}

/** Request columns with the training data's types (ints that got categorical statistics keep them). */
function servedFeatures(transform: FittedTransform, training: DatasetStatistics | undefined): FeaturePlan[] {
  return requestColumns(transform).map((c) => {
    const trained = training?.features.find((f) => f.name === c.name);
    const type = trained?.type ?? c.type ?? 'string';
    return { name: c.name, type, categoricalInt: type === 'int' && trained?.categorical !== undefined };
  });
}

/** The evaluate execution's predictions.csv (the one beside the version's evaluation) as score/class statistics. */
async function offlinePredictions(
  artifacts: readonly LinkedArtifact[],
  evaluationUri: string | null,
  manifest: ModelManifest,
): Promise<DatasetStatistics | undefined> {
  const evaluation = artifacts.find((a) => a.type === 'ModelEvaluation' && a.uri === evaluationUri) ?? newest(artifacts, 'ModelEvaluation');
  const artifact = artifacts.find((a) => a.type === 'Predictions' && a.executionId === evaluation?.executionId) ?? newest(artifacts, 'Predictions');
  if (!artifact) return undefined;
  const file = path.join(artifact.uri, PREDICTIONS_FILE);
  const source = await readIfThere(() => csvRows(file));
  if (!source) return undefined;
  const probabilityColumns = source.columns.filter((c) => c.startsWith('probability_'));
  const rows: Record<string, Value>[] = [];
  for await (const chunk of source.chunks()) {
    for (const row of chunk.rows) {
      const score =
        manifest.task === 'binary'
          ? Number(row.score)
          : manifest.task === 'multiclass'
            ? Math.max(...probabilityColumns.map((c) => Number(row[c])))
            : Number(row.prediction);
      if (row.prediction === '' || !Number.isFinite(score)) continue;
      rows.push({ [SCORE]: score, [PREDICTED_CLASS]: manifest.task === 'regression' ? null : String(row.prediction) });
    }
  }
  return rowStatistics({ name: 'offline predictions', split: 'eval' }, rows, predictionFeatures(manifest.task));
}

/** Artifacts can be deleted or damaged after the run: a missing one leaves its check out rather than stopping monitoring. */
async function readIfThere<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (isUserError(e)) return undefined;
    throw e;
  }
}

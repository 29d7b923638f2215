import { missingTest, type ColumnType } from '../data/cells';
import { ModelFault } from '../model/predictions';
import type { LoadedModel, Prediction } from '../model/types';
import { derivedEvaluator } from '../transform/derived';
import { rawValue } from '../transform/row';
import type { FittedTransform, RawRow } from '../transform/types';
import { isUserError, UserError } from '../util/problems';
import type { RowSource } from './rows';
import type { EvaluationData, FeatureValue, ModelScores } from '../evaluate/types';

/** One row a model could not score, with why. */
export interface SkippedRow {
  id: number;
  reason: string;
}

/** Scored rows of a source, row-aligned; rows without a usable label are left out for evaluation. */
export interface ScoredRows {
  data: EvaluationData;
  /** Row ids of the rows in `data`, in order. */
  ids: number[];
  /** The candidate's predictions, row-aligned with `ids`. */
  predictions: Prediction[];
  skipped: SkippedRow[];
}

export interface ScoreOptions {
  source: RowSource;
  candidate: LoadedModel;
  baseline?: LoadedModel;
  /** Slice and sensitive features to collect; names the source lacks are left out (the evaluator reports them). */
  features: readonly string[];
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

/**
 * Runs the candidate (and baseline) over every row of the source, keeping the labelled rows for
 * evaluation. A row whose values the model cannot read is skipped with the reason, never fatal.
 */
export async function scoreForEvaluation(o: ScoreOptions): Promise<ScoredRows> {
  const { candidate, baseline, source } = o;
  checkInputs(candidate, source, true);
  if (baseline) checkInputs(baseline, source, false);
  const task = candidate.manifest.task;
  const classes = candidate.manifest.signature.classes;
  const features = featureExtractor(candidate.transform, source.columns, o.features);
  const featureValues = features.names.map(() => [] as FeatureValue[]);
  const labels: number[] = [];
  const ids: number[] = [];
  const predictions: Prediction[] = [];
  const baselinePredictions: Prediction[] = [];
  const skipped: SkippedRow[] = [];
  let seen = 0;
  for await (const chunk of source.chunks()) {
    o.signal?.throwIfAborted();
    const keep: { prediction: Prediction; label: number; index: number }[] = [];
    (await scoreChunk(candidate, chunk.rows)).forEach((r, index) => {
      if (r.error !== undefined) skipped.push({ id: chunk.ids[index], reason: r.error });
      else if (Number.isNaN(r.label)) skipped.push({ id: chunk.ids[index], reason: labelProblem(candidate.transform, chunk.rows[index]) });
      else keep.push({ prediction: r.prediction, label: r.label, index });
    });
    const baseScores = baseline && keep.length ? await baseline.predict(keep.map((k) => chunk.rows[k.index])) : [];
    keep.forEach((k, j) => {
      labels.push(k.label);
      ids.push(chunk.ids[k.index]);
      predictions.push(k.prediction);
      if (baseline) baselinePredictions.push(baseScores[j]);
      features.extract(chunk.rows[k.index]).forEach((value, f) => featureValues[f].push(value));
    });
    seen += chunk.rows.length;
    o.onProgress?.(seen);
  }
  const data: EvaluationData = {
    task,
    classes,
    labels: Float64Array.from(labels),
    candidate: modelScores(predictions, task),
    baseline: baseline ? modelScores(baselinePredictions, task) : undefined,
    features: new Map(features.names.map((name, f) => [name, featureValues[f]])),
  };
  return { data, ids, predictions, skipped };
}

/** One row's outcome: its prediction and encoded label (NaN when missing), or why it could not be scored. */
export type RowScore = { prediction: Prediction; label: number; error?: undefined } | { prediction?: undefined; label: number; error: string };

/**
 * Scores a chunk of rows; when a value in it cannot be read, row by row, so only that row is lost
 * and every row gets an outcome.
 */
export async function scoreChunk(model: LoadedModel, rows: readonly RawRow[]): Promise<RowScore[]> {
  try {
    const { predictions, labels } = await model.predictLabelled(rows);
    return predictions.map((prediction, i) => ({ prediction, label: labels[i] }));
  } catch (e) {
    if (!isUserError(e) || e instanceof ModelFault) throw e;
  }
  const out: RowScore[] = [];
  for (const row of rows) {
    try {
      const { predictions, labels } = await model.predictLabelled([row]);
      out.push({ prediction: predictions[0], label: labels[0] });
    } catch (e) {
      if (!isUserError(e)) throw e;
      out.push({ label: NaN, error: e.problems[0]?.message ?? e.message });
    }
  }
  return out;
}

function modelScores(predictions: readonly Prediction[], task: EvaluationData['task']): ModelScores {
  const scores = Float64Array.from(predictions, (p) => p.score);
  if (task !== 'multiclass') return { scores };
  const k = predictions[0]?.probabilities?.length ?? 0;
  const probabilities = new Float64Array(predictions.length * k);
  predictions.forEach((p, i) => probabilities.set(p.probabilities!, i * k));
  return { scores, probabilities };
}

/**
 * The columns a model reads that the data lacks. A column the model fills when missing would
 * otherwise be silently filled on every row: scoring data of another schema is refused up front.
 */
export function missingInputs(model: LoadedModel, columns: readonly string[], withLabel: boolean): string[] {
  const have = new Set(columns);
  const derived = new Map((model.transform.derived ?? []).map((d) => [d.name, d]));
  const missing = new Set<string>();
  const visit = (name: string) => {
    if (have.has(name)) return;
    const d = derived.get(name);
    if (d) d.reads.forEach((r) => visit(r.name));
    else missing.add(name);
  };
  for (const input of model.transform.inputs) visit(input.name);
  if (withLabel && model.transform.label) visit(model.transform.label.column);
  return [...missing];
}

function checkInputs(model: LoadedModel, source: RowSource, withLabel: boolean): void {
  const missing = missingInputs(model, source.columns, withLabel);
  if (missing.length === 0) return;
  const label = model.transform.label?.column;
  const what = missing.length === 1 ? `column '${missing[0]}'` : `columns ${missing.map((m) => `'${m}'`).join(', ')}`;
  throw UserError.at(
    `the model at ${model.dir} reads ${what}, which the data does not have${label && missing.includes(label) ? ` ('${label}' is the label evaluation needs)` : ''}`,
    { file: source.file },
    `the data has: ${source.columns.join(', ')}`,
  );
}

function labelProblem(fitted: FittedTransform, row: RawRow): string {
  const label = fitted.label!;
  const raw = row[label.column];
  if (raw === undefined || raw === null || raw === '') return `no value for the label '${label.column}'`;
  return `label '${label.column}' is ${JSON.stringify(raw)}, not a class the model knows`;
}

/**
 * Reads slice features from raw rows with the types ingest gave them, computing `features.derive`
 * columns the rows lack (a CSV) with the pipeline's expressions, so a CSV slices like the examples.
 * Names neither in the rows nor derivable are left out (the evaluator reports them).
 */
function featureExtractor(
  fitted: FittedTransform,
  columns: readonly string[],
  wanted: readonly string[],
): { names: string[]; extract(row: RawRow): FeatureValue[] } {
  const inRows = new Set(columns);
  const derived = new Map((fitted.derived ?? []).map((d) => [d.name, d]));
  const names = wanted.filter((n) => inRows.has(n) || derived.has(n));
  const types = new Map<string, ColumnType | undefined>([
    ...fitted.inputs.map((i): [string, ColumnType] => [i.name, i.type]),
    ...[...derived.values()].flatMap((d) => [
      [d.name, d.type] as [string, ColumnType],
      ...d.reads.map((r): [string, ColumnType | undefined] => [r.name, r.type]),
    ]),
  ]);
  if (fitted.label) types.set(fitted.label.column, fitted.label.type);
  const isMissing = missingTest(fitted.missing ?? []);
  const parse = (row: RawRow, name: string, type = types.get(name)): FeatureValue => {
    try {
      return rawValue(name, type, row[name], isMissing);
    } catch {
      return null;
    }
  };
  const derive = names.some((n) => !inRows.has(n)) ? derivedEvaluator(fitted) : undefined;
  return {
    names,
    extract(row) {
      const computed = derive?.(
        (name, type) => parse(row, name, type),
        (name) => row[name] !== undefined,
      );
      return names.map((n) => (inRows.has(n) ? parse(row, n) : (computed?.get(n) ?? null)));
    },
  };
}

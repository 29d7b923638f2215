import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LoadedModel } from '../model/types';
import type { EvaluateConfig } from '../pipeline/config';
import type { RowSource } from '../scoring/rows';
import { predictionCells, predictionColumns } from '../scoring/predictionsCsv';
import { missingInputs, scoreForEvaluation, type ScoredRows } from '../scoring/score';
import { csvLine } from '../util/csvText';
import { UserError } from '../util/problems';
import { evaluateModel } from './evaluate';
import type { EvaluationReport, ModelRef } from './types';
import { formatCount } from '../util/format';

export const EVALUATION_FILE = 'evaluation.json';
export const BLESSING_FILE = 'blessing.json';
export const PREDICTIONS_FILE = 'predictions.csv';

export interface ModelUnderEvaluation {
  model: LoadedModel;
  ref: ModelRef;
}

export interface EvaluationRun {
  source: RowSource;
  candidate: ModelUnderEvaluation;
  baseline?: ModelUnderEvaluation;
  settings: EvaluateConfig;
  seed: number;
  signal?: AbortSignal;
  log(line: string): void;
  progress?(rows: number): void;
}

/**
 * Scores the rows with the candidate (and the baseline, when it can read them) and analyses the
 * predictions: the one path `mlops run`'s evaluate component and `mlops evaluate` share.
 */
export async function runEvaluation(o: EvaluationRun): Promise<{ report: EvaluationReport; scored: ScoredRows }> {
  const baseline = o.baseline && comparableBaseline(o.candidate, o.baseline, o.source, o.log);
  const features = [...new Set([...o.settings.slices.flatMap((s) => s.value.features), ...(o.settings.fairness?.sensitive.flatMap((s) => s.value) ?? [])])];
  const scored = await scoreForEvaluation({
    source: o.source,
    candidate: o.candidate.model,
    baseline: baseline?.model,
    features,
    signal: o.signal,
    onProgress: o.progress,
  });
  if (scored.skipped.length) {
    const first = scored.skipped[0];
    o.log(`${formatCount(scored.skipped.length)} rows left out (row ${first.id}: ${first.reason})`);
  }
  if (scored.ids.length === 0) {
    throw UserError.at(
      `no row of ${o.source.description} can be evaluated${scored.skipped.length ? `: ${scored.skipped[0].reason} (row ${scored.skipped[0].id}) and ${scored.skipped.length - 1} more` : ': it has no rows'}`,
      { file: o.source.file },
      'evaluation needs rows with a label the model knows',
    );
  }
  const report = evaluateModel({
    data: scored.data,
    settings: o.settings,
    candidate: o.candidate.ref,
    baseline: baseline?.ref,
    source: { description: o.source.description, skippedRows: scored.skipped.length },
    seed: o.seed,
  });
  return { report, scored };
}

/** The baseline, unless it cannot be compared on these rows (another task, other classes, other inputs). */
function comparableBaseline(candidate: ModelUnderEvaluation, baseline: ModelUnderEvaluation, source: RowSource, log: (line: string) => void) {
  const a = candidate.model.manifest;
  const b = baseline.model.manifest;
  const why =
    a.task !== b.task
      ? `it is a ${b.task} model and the candidate a ${a.task} one`
      : JSON.stringify(a.signature.classes ?? []) !== JSON.stringify(b.signature.classes ?? [])
        ? `its classes (${(b.signature.classes ?? []).join(', ')}) differ from the candidate's`
        : missingInputs(baseline.model, source.columns, false).map((c) => `it reads '${c}', which the data lacks`)[0];
  if (!why) return baseline;
  log(`baseline ${baseline.ref.label} left out: ${why}; change thresholds are skipped`);
  return undefined;
}

/** Writes evaluation.json, blessing.json and predictions.csv into their artifact folders. */
export async function writeEvaluationArtifacts(
  dirs: { evaluation: string; blessing: string; predictions: string },
  report: EvaluationReport,
  scored: ScoredRows,
  candidate: LoadedModel,
): Promise<void> {
  await fs.writeFile(path.join(dirs.evaluation, EVALUATION_FILE), JSON.stringify(report) + '\n');
  await fs.writeFile(path.join(dirs.blessing, BLESSING_FILE), JSON.stringify(report.blessing, null, 2) + '\n');
  await writePredictions(path.join(dirs.predictions, PREDICTIONS_FILE), scored, candidate);
}

/** Row id, label, prediction and the slice features of every evaluated row: for error analysis. */
async function writePredictions(file: string, scored: ScoredRows, candidate: LoadedModel): Promise<void> {
  const { manifest } = candidate;
  const features = [...scored.data.features.keys()];
  const classes = manifest.signature.classes ?? [];
  const labelText = (label: number) => (manifest.task === 'regression' ? label : classes[label]);
  const out = await fs.open(file, 'w');
  try {
    const header = ['row_id', 'label', ...predictionColumns(manifest), ...features.filter((f) => f !== 'row_id' && f !== 'label')];
    const featureValues = features.filter((f) => f !== 'row_id' && f !== 'label').map((f) => scored.data.features.get(f)!);
    let buffer = csvLine(header) + '\n';
    for (let i = 0; i < scored.ids.length; i++) {
      buffer +=
        csvLine([scored.ids[i], labelText(scored.data.labels[i]), ...predictionCells(manifest, scored.predictions[i]), ...featureValues.map((v) => v[i])]) +
        '\n';
      if (buffer.length > 1 << 20) {
        await out.write(buffer);
        buffer = '';
      }
    }
    await out.write(buffer);
  } finally {
    await out.close();
  }
}

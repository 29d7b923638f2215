import * as path from 'node:path';
import { evaluationArtifact, readEvaluation } from '../../core/evaluate/read';
import type { EvaluationReport } from '../../core/evaluate/report';
import { EVALUATION_FILE } from '../../core/evaluate/run';
import { registryModelName } from '../../core/pipeline/analysisSections';
import { checkAliasName, DEFAULT_ALIAS, parseModelRef, requireModel, requireVersion, type ModelVersionRecord } from '../../core/registry';
import { unknownAliasError } from '../../core/registry/names';
import type { RunStore } from '../../core/store';
import type { RunRecord } from '../../core/store/types';
import { errorMessage } from '../../core/util/errorMessage';
import { UserError } from '../../core/util/problems';
import { readValidationReport, reportFileOf, validationArtifacts } from '../../core/validate/read';
import { pipelineOfModel } from '../modelContext';
import type { ReportInputs } from './build';

/**
 * A run's report inputs: its validation and evaluation artifacts and the registry version it is
 * compared with. What cannot be read becomes a note: a failed run still reports what it has.
 */
export async function collectReport(store: RunStore, runId: number, against: string = DEFAULT_ALIAS): Promise<ReportInputs> {
  const details = store.getRunDetails(runId);
  if (!details) throw UserError.at(`no run #${runId} in this store`, undefined, 'see `mlops runs list`; use --store to pick another store');
  const notes: string[] = [];
  const anomalies = validationArtifacts(details)?.anomalies;
  const validation = anomalies && (await readOrNote(() => readValidationReport(reportFileOf(path.resolve(anomalies.uri))), notes));
  const evaluated = evaluationArtifact(details);
  const evaluation = evaluated && (await readOrNote(() => readEvaluation(path.join(path.resolve(evaluated.uri), EVALUATION_FILE)), notes));
  if (!evaluated) notes.push(`run #${runId} has no evaluation (${whyNoEvaluation(details.run)})`);
  const compared = evaluation ? await comparedVersion(store, runId, evaluation, against, notes) : undefined;
  const comparedEvaluation = compared?.evaluationUri
    ? await readOrNote(() => readEvaluation(path.join(path.resolve(compared.evaluationUri!), EVALUATION_FILE)), notes)
    : undefined;
  return {
    details,
    validation,
    evaluation,
    against: compared && { ref: against, version: compared, evaluation: comparedEvaluation },
    notes,
  };
}

function whyNoEvaluation(run: RunRecord): string {
  if (run.status !== 'complete') return `the run ${run.status} before evaluate`;
  return run.component ? `the run ran only ${run.component} and what it needs` : 'its pipeline has no evaluate component';
}

async function readOrNote<T>(read: () => Promise<T>, notes: string[]): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    notes.push(errorMessage(e));
    return undefined;
  }
}

/**
 * `--against`: `model@alias` or `model@version` as written, or an alias of the run's model (the
 * pipeline's `push.model`, else its name). When that is the run's own model (the run pushed it),
 * the version it was evaluated against stands in: what production was before this run.
 */
async function comparedVersion(
  store: RunStore,
  runId: number,
  evaluation: EvaluationReport,
  against: string,
  notes: string[],
): Promise<ModelVersionRecord | undefined> {
  const version = await lookUp(store, runId, evaluation, against, notes);
  if (!version || version.weightsHash !== evaluation.candidate.weightsHash) return version;
  const before = evaluation.baseline;
  const previous = before?.model !== undefined && before.version !== undefined ? store.getModelVersion(before.model, before.version) : undefined;
  notes.push(
    `this run's model is ${version.model}@${version.version}, which ${against} now points at` +
      (previous
        ? `: compared with ${previous.model}@${previous.version}, the baseline it was evaluated against`
        : ', and it was evaluated without a baseline: nothing to compare with'),
  );
  return previous;
}

/**
 * The version named by --against. A missing `production` is a first pull request's situation (a
 * note: nothing to compare with); any other name that is not in the registry is a mistake (exit 2).
 */
async function lookUp(store: RunStore, runId: number, evaluation: EvaluationReport, against: string, notes: string[]): Promise<ModelVersionRecord | undefined> {
  if (against.includes('@')) {
    const ref = parseModelRef(against);
    if (ref.kind === 'run') throw UserError.at(`--against ${against}: name a model version or alias (taxi@3, taxi@production)`);
    if (ref.kind === 'version') return requireVersion(store, ref.model, ref.version);
    const model = requireModel(store, ref.model);
    return aliasVersion(store, model.name, model.aliases, ref.alias, notes);
  }
  checkAliasName(against);
  const pipeline = await pipelineOfModel(store, { runId });
  const model = evaluation.baseline?.model ?? (pipeline ? registryModelName(pipeline) : store.getRun(runId)!.pipelineName);
  return aliasVersion(store, model, store.getModel(model)?.aliases ?? {}, against, notes);
}

function aliasVersion(
  store: RunStore,
  model: string,
  aliases: Readonly<Record<string, number>>,
  alias: string,
  notes: string[],
): ModelVersionRecord | undefined {
  const version = aliases[alias];
  if (version !== undefined) return store.getModelVersion(model, version);
  if (alias !== DEFAULT_ALIAS) throw unknownAliasError(model, alias, aliases);
  notes.push(`'${model}' has no ${alias} version yet: nothing to compare with`);
  return undefined;
}

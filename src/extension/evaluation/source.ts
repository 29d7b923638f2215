import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { EVALUATION_VERSION } from '../../core/evaluate/report';
import type { LinkedArtifact, RunDetails } from '../../core/store/types';
import { isBlessing, isEvaluationReport, type Blessing, type EvaluationReport } from '../../shared/evaluation';
import { absolutePath } from '../anomalies/report';
import { errorMessage } from '../../core/util/errorMessage';

/**
 * Where a run's evaluation is: the `ModelEvaluation` output of its evaluate component, a folder
 * holding `evaluation.json` (a bare `.json` is accepted too). No `vscode` import, so the tests use
 * it without an editor.
 */

export const EVALUATION_ARTIFACT_TYPE = 'ModelEvaluation';
export const EVALUATION_FILE_NAME = 'evaluation.json';

/** The run's live evaluation output, the newest when a run evaluated twice. */
export function evaluationArtifact(details: RunDetails): LinkedArtifact | undefined {
  return details.artifacts.filter((a) => a.type === EVALUATION_ARTIFACT_TYPE && a.role === 'output' && a.state === 'live').sort((x, y) => y.id - x.id)[0];
}

/** The evaluation.json of an artifact (or registry) location: absolute, or relative to the workspace root. */
export function evaluationFilePath(uri: string, root: string): string {
  const p = absolutePath(uri, root);
  return p.toLowerCase().endsWith('.json') ? p : path.join(p, EVALUATION_FILE_NAME);
}

/** A file that is not an evaluation, or cannot be read: shown as a message, never a stack. */
export class EvaluationReadError extends Error {}

/** Reads and checks an evaluation.json without blocking (the extension host is shared). */
export async function readEvaluation(file: string): Promise<EvaluationReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new EvaluationReadError(`${file} cannot be read: ${errorMessage(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new EvaluationReadError(`${file} is not valid JSON: ${errorMessage(e)}`);
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > EVALUATION_VERSION) {
    throw new EvaluationReadError(
      `${file} was written by a newer mlops (evaluation format version ${version}; this extension reads up to ${EVALUATION_VERSION}).`,
    );
  }
  if (!isEvaluationReport(data))
    throw new EvaluationReadError(`${file} is not an mlops evaluation (format mlops-evaluation): a field is missing or of the wrong type.`);
  return data;
}

export const BLESSING_FILE_NAME = 'blessing.json';

/**
 * The blessing of a registered version, from its evaluation folder (`evaluation.json`, else the
 * blessing artifact's `blessing.json`); undefined when neither can be read.
 */
export async function readBlessing(uri: string, root: string): Promise<Blessing | undefined> {
  const folder = absolutePath(uri, root);
  try {
    return (await readEvaluation(evaluationFilePath(folder, root))).blessing;
  } catch {
    // Not an evaluation folder: the registry may point at the blessing artifact instead.
  }
  try {
    const data: unknown = JSON.parse(await readFile(path.join(folder, BLESSING_FILE_NAME), 'utf8'));
    return isBlessing(data) ? data : undefined;
  } catch {
    return undefined;
  }
}

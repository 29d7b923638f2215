import { readFile } from 'node:fs/promises';
import { isEvaluationReport } from '../../shared/evaluation';
import type { LinkedArtifact, RunDetails } from '../store/types';
import { errorMessage } from '../util/errorMessage';
import { EVALUATION_VERSION, type EvaluationReport } from './report';

/**
 * Reading a run's evaluation back (the evaluation panel, the Models tree, `mlops report`). The check
 * is the webview contract's (src/shared/evaluation.ts): one definition of a well-formed report.
 */

export const EVALUATION_ARTIFACT_TYPE = 'ModelEvaluation';

/** The run's live evaluation output, the newest when a run evaluated twice. */
export function evaluationArtifact(details: RunDetails): LinkedArtifact | undefined {
  return details.artifacts.filter((a) => a.type === EVALUATION_ARTIFACT_TYPE && a.role === 'output' && a.state === 'live').sort((x, y) => y.id - x.id)[0];
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
    throw new EvaluationReadError(`${file} was written by a newer mlops (evaluation format version ${version}; this mlops reads up to ${EVALUATION_VERSION}).`);
  }
  if (!isEvaluationReport(data))
    throw new EvaluationReadError(`${file} is not an mlops evaluation (format mlops-evaluation): a field is missing or of the wrong type.`);
  return data;
}

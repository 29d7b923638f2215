import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readEvaluation } from '../../core/evaluate/read';
import { isBlessing, type Blessing } from '../../shared/evaluation';
import { absolutePath } from '../anomalies/report';

/**
 * Where a run's evaluation is: the `ModelEvaluation` output of its evaluate component, a folder
 * holding `evaluation.json` (a bare `.json` is accepted too). No `vscode` import, so the tests use
 * it without an editor.
 */

export const EVALUATION_FILE_NAME = 'evaluation.json';

/** The evaluation.json of an artifact (or registry) location: absolute, or relative to the workspace root. */
export function evaluationFilePath(uri: string, root: string): string {
  const p = absolutePath(uri, root);
  return p.toLowerCase().endsWith('.json') ? p : path.join(p, EVALUATION_FILE_NAME);
}

// Moved to the engine (`mlops report` reads them too); the panel and the tree import them from here.
export { EvaluationReadError, evaluationArtifact, readEvaluation } from '../../core/evaluate/read';

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

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isPipelineFile } from '../pipeline/fileName';
import { parseModelRef } from '../registry/refs';
import type { RunStore } from '../store';
import type { LineageSubject } from '../store/types';
import { UserError } from '../util/problems';

const ARTIFACT = /^artifact:#?(\d+)$/i;

export const LINEAGE_SUBJECT_FORMS =
  'a run id (12), artifact:ID, a file a run read or wrote (data/train.csv), a pipeline file (its newest run), or a model version (taxi@3, taxi@production)';

/**
 * What `mlops lineage` was asked about. A path that exists is a file (every artifact recorded
 * there, or a pipeline file's newest run) before it is a model name, so `taxi` the folder and
 * `taxi` the model are told apart by what is on disk.
 */
type SubjectStore = Pick<RunStore, 'artifactIdsAt' | 'listPipelines' | 'listRuns' | 'getModel'>;

export function lineageSubject(store: SubjectStore, text: string, cwd: string): LineageSubject {
  const artifact = ARTIFACT.exec(text.trim());
  if (artifact) return { kind: 'artifact', artifactIds: [Number(artifact[1])] };
  if (/^artifact:/i.test(text.trim())) throw UserError.at(`'${text}' does not name an artifact`, undefined, 'artifact ids are numbers: artifact:17');
  const file = path.resolve(cwd, text);
  if (!/^#?\d+$/.test(text.trim())) {
    if (existsSync(file)) return fileSubject(store, file, text, cwd);
    // A data file since moved or deleted: what was built from it is still recorded.
    if (store.artifactIdsAt([file]).length > 0 || /[\\/]/.test(text)) return artifactsAt(store, file, text);
  }
  const ref = parseModelRef(text);
  switch (ref.kind) {
    case 'run':
      return { kind: 'run', runId: ref.runId };
    case 'version':
      return { kind: 'model', model: ref.model, version: ref.version };
    case 'alias': {
      const model = store.getModel(ref.model);
      const version = model?.aliases[ref.alias];
      if (version === undefined) {
        const what = model ? `model ${ref.model} has no alias '${ref.alias}'` : `there is no file or model named '${text}'`;
        throw UserError.at(what, undefined, `name ${LINEAGE_SUBJECT_FORMS}`);
      }
      return { kind: 'model', model: ref.model, version };
    }
  }
}

/**
 * A file as a lineage subject: a pipeline file stands for its newest run, any other file for every
 * artifact recorded at it. `typed` names it in messages; `root` is what relative pipeline paths in
 * the store are relative to (where the CLI ran, the workspace folder).
 */
export function fileSubject(store: SubjectStore, file: string, typed: string, root: string): LineageSubject {
  return isPipelineFile(file) ? newestRunOf(store, file, root) : artifactsAt(store, file, typed);
}

function artifactsAt(store: SubjectStore, file: string, typed: string): LineageSubject {
  const artifactIds = store.artifactIdsAt([file]);
  if (artifactIds.length === 0) {
    throw UserError.at(`no run has read or written ${typed}`, { file }, 'lineage knows the files runs recorded: data files, artifacts, logged models');
  }
  return { kind: 'artifact', artifactIds };
}

function newestRunOf(store: SubjectStore, file: string, root: string): LineageSubject {
  const pipeline = store.listPipelines().find((p) => path.resolve(root, p.file) === file);
  const newest = pipeline && store.listRuns({ pipeline: pipeline.name, limit: 1 }).runs[0];
  if (!newest) throw UserError.at('this pipeline has no runs yet', { file }, `run it first: mlops run ${path.basename(file)}`);
  return { kind: 'run', runId: newest.id };
}

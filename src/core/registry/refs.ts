import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_FILE } from '../model/package';
import type { RunStore } from '../store';
import type { LinkedArtifact } from '../store/types';
import { UserError } from '../util/problems';
import { isAliasName, isModelName, unknownAliasError, unknownModelError, unknownVersionError } from './names';
import type { ModelRecord, ModelRef, ModelVersionRecord, NewModelVersion } from './types';

/** A model package found from what a user typed, with what evaluation and push need to know about it. */
export interface ResolvedModel {
  /** How people name it: "run #12", "taxi@3 (production)". */
  label: string;
  /** The model package folder. */
  uri: string;
  weightsHash: string;
  task: string;
  runId?: number;
  model?: string;
  version?: number;
  /** null: never evaluated. */
  blessed: boolean | null;
  /** The evaluation artifact's folder (else the blessing's), when evaluated. */
  evaluationUri: string | null;
}

export const DEFAULT_ALIAS = 'production';

const REF_FORMS = 'a run id (12 or #12), model@version (taxi@3), model@alias (taxi@production) or a model name (its production version)';

/**
 * `12` and `#12` name a run; `taxi@3` a version; `taxi@staging` an alias; a bare `taxi` its
 * production version. All digits is a run id, so a model named `12` is written `12@production`.
 */
export function parseModelRef(text: string): ModelRef {
  const trimmed = text.trim();
  const run = /^#?(\d+)$/.exec(trimmed);
  if (run) return { kind: 'run', runId: positive(run[1], trimmed) };
  const at = trimmed.indexOf('@');
  const model = at < 0 ? trimmed : trimmed.slice(0, at);
  const rest = at < 0 ? DEFAULT_ALIAS : trimmed.slice(at + 1);
  if (!isModelName(model)) throw notARef(trimmed);
  if (/^\d+$/.test(rest)) return { kind: 'version', model, version: positive(rest, trimmed) };
  if (isAliasName(rest)) return { kind: 'alias', model, alias: rest };
  throw notARef(trimmed);
}

function positive(digits: string, text: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n <= 0) throw notARef(text);
  return n;
}

function notARef(text: string): UserError {
  return UserError.at(`'${text}' does not name a model`, undefined, `use ${REF_FORMS}`);
}

export function resolveModelRef(store: RunStore, ref: ModelRef): ResolvedModel {
  if (ref.kind === 'run') return runModel(store, ref.runId);
  return fromVersion(ref.kind === 'version' ? requireVersion(store, ref.model, ref.version) : requireAlias(store, ref.model, ref.alias));
}

/** "taxi@3 (production, staging)", or "taxi@3" when no alias points at it. */
export function versionLabel(v: Pick<ModelVersionRecord, 'model' | 'version' | 'aliases'>): string {
  return `${v.model}@${v.version}${v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}`;
}

function fromVersion(v: ModelVersionRecord): ResolvedModel {
  return {
    label: versionLabel(v),
    uri: v.uri,
    weightsHash: v.weightsHash,
    task: v.task,
    ...(v.runId === null ? {} : { runId: v.runId }),
    model: v.model,
    version: v.version,
    blessed: v.blessed,
    evaluationUri: v.evaluationUri,
  };
}

export function requireModel(store: RunStore, model: string): ModelRecord {
  const found = store.getModel(model);
  if (!found)
    throw unknownModelError(
      model,
      store.listModels().map((m) => m.name),
    );
  return found;
}

export function requireVersion(store: RunStore, model: string, version: number): ModelVersionRecord {
  requireModel(store, model);
  const found = store.getModelVersion(model, version);
  if (!found)
    throw unknownVersionError(
      model,
      version,
      store
        .listModelVersions(model)
        .map((v) => v.version)
        .reverse(),
    );
  return found;
}

function requireAlias(store: RunStore, model: string, alias: string): ModelVersionRecord {
  const { aliases } = requireModel(store, model);
  const version = aliases[alias];
  if (version === undefined) throw unknownAliasError(model, alias, aliases);
  return requireVersion(store, model, version);
}

/**
 * A run's model: the live `Model` output of its executions (a cached execution links the output it
 * reused, so a run whose train step was cached still has one), and the `ModelBlessing` and
 * `ModelEvaluation` written by an execution of the same run that read that model.
 */
function runModel(store: RunStore, runId: number): ResolvedModel {
  const details = store.getRunDetails(runId);
  if (!details) throw noModelError(store, `there is no run #${runId} in the run store ${store.path}`);
  const outputs = details.artifacts.filter((a) => a.role === 'output' && a.state === 'live');
  const models = outputs.filter((a) => a.type === 'Model');
  // A model file code logged (a flavor, no package facts) is recorded as it is; only a package serves.
  const model = models.filter((a) => !(a.properties.flavor && a.properties.weightsHash === undefined)).at(-1);
  if (!model && models.length) {
    throw UserError.at(
      `run #${runId} logged the ${String(models[0].properties.flavor)} model '${models[0].name}' (${models[0].uri}), which is not a model package`,
      undefined,
      'train it in a pipeline step that `train: { step: <name> }` names: the pipeline packages its ONNX model with the columns and label it needs',
    );
  }
  if (!model) throw noModelError(store, `run #${runId} has no model: it trained none, or its train component did not finish`);
  const readers = new Set(details.artifacts.filter((a) => a.role === 'input' && a.id === model.id).map((a) => a.executionId));
  const verdict = outputs.filter((a) => readers.has(a.executionId));
  const blessing = verdict.filter((a) => a.type === 'ModelBlessing').at(-1);
  const evaluation = verdict.filter((a) => a.type === 'ModelEvaluation' && (!blessing || a.executionId === blessing.executionId)).at(-1);
  const packaged = manifestFacts(model);
  return {
    label: `run #${runId}`,
    uri: model.uri,
    weightsHash: packaged.weightsHash,
    task: packaged.task,
    runId,
    blessed: blessing ? blessedOf(blessing) : null,
    evaluationUri: evaluation?.uri ?? blessing?.uri ?? null,
  };
}

function noModelError(store: RunStore, message: string): UserError {
  const runs = store.runsWithModels(10);
  const hint = runs.length
    ? `the newest runs with a model are ${runs.map((id) => `#${id}`).join(', ')}; or name a registered version (taxi@3)`
    : 'no run has trained a model yet: run a pipeline with a train component first';
  return UserError.at(message, undefined, hint);
}

/** The train component records the weights hash and task on the artifact; older artifacts only in the package. */
function manifestFacts(model: LinkedArtifact): { weightsHash: string; task: string } {
  const { weightsHash, task } = model.properties;
  if (typeof weightsHash === 'string' && typeof task === 'string') return { weightsHash, task };
  const file = path.join(model.uri, MANIFEST_FILE);
  const manifest = readJson(file);
  if (typeof manifest?.weightsHash !== 'string' || typeof manifest.task !== 'string') {
    throw UserError.at('the model package has no readable manifest', { file }, 'train the model again');
  }
  return { weightsHash: manifest.weightsHash, task: manifest.task };
}

/** The evaluate component sets the `blessed` property; `blessing.json` in the folder says the same. */
function blessedOf(blessing: LinkedArtifact): boolean | null {
  if (typeof blessing.properties.blessed === 'boolean') return blessing.properties.blessed;
  const verdict = readJson(path.join(blessing.uri, 'blessing.json'))?.blessed;
  return typeof verdict === 'boolean' ? verdict : null;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** What change thresholds compare with: the production version, else the newest blessed one. */
export function baselineVersion(store: RunStore, model: string): ModelVersionRecord | undefined {
  const production = store.getModel(model)?.aliases[DEFAULT_ALIAS];
  if (production !== undefined) return store.getModelVersion(model, production);
  return store.listModelVersions(model).find((v) => v.blessed === true);
}

/**
 * A run's model as a version to register: its overall evaluation metrics (`eval.*`) when it was
 * evaluated, else its final training metrics (`final.*`), keys without the prefix.
 */
export function newVersionFromRun(store: RunStore, runId: number, model: string): NewModelVersion {
  const resolved = runModel(store, runId);
  const latest = store.finalMetrics([runId]).get(runId) ?? {};
  const withPrefix = (prefix: string) =>
    Object.fromEntries(
      Object.entries(latest)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, metric]) => [key.slice(prefix.length), metric.value]),
    );
  const evaluated = withPrefix('eval.');
  return {
    model,
    runId,
    uri: resolved.uri,
    weightsHash: resolved.weightsHash,
    task: resolved.task,
    blessed: resolved.blessed,
    evaluationUri: resolved.evaluationUri,
    metrics: Object.keys(evaluated).length ? evaluated : withPrefix('final.'),
  };
}

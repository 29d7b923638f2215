import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_FILE } from '../model/package';
import type { RunStore } from '../store';
import { writeFileAtomic } from '../util/atomic';
import { UserError } from '../util/problems';
import { rolledBackFrom, rollbackTarget } from './history';
import { checkAliasName, checkModelName } from './names';
import { DEFAULT_ALIAS, requireModel, requireVersion, versionLabel } from './refs';
import type { AliasChange, ModelVersionRecord, NewModelVersion, PushOutcome, PushRequest } from './types';

/**
 * TFX Pusher semantics on a folder a server polls: a version lands in `<destination>/<version>/`
 * complete or not at all (copied under a hidden temporary name, then renamed), and
 * `<destination>/aliases.json` says which version each alias means. The store changes last, so a
 * push that fails leaves the registry as it was.
 */

export const ALIASES_FILE = 'aliases.json';

/** `serving/<model>` beside the store file. */
export function defaultDestination(store: RunStore, model: string): string {
  return path.join(path.dirname(store.path), 'serving', model);
}

export async function pushModel(store: RunStore, request: PushRequest): Promise<PushOutcome> {
  checkAliasName(request.alias);
  const { existing, subject } = pushSubject(store, request.target);
  await syncServingFolders(store, subject.model);
  const label = existing ? versionLabel(existing) : `the model of run #${subject.runId}`;
  const heldBy =
    existing && request.respectRollbacks ? rolledBackFrom(store.aliasHistory(existing.model, request.alias), request.alias, existing.version) : undefined;
  if (heldBy) {
    const previous = store.getModel(existing!.model)?.aliases[request.alias] ?? null;
    return { version: existing!, pushedTo: existing!.pushedTo ?? '', previous, registered: false, heldBy };
  }
  checkBlessing(subject, label, request.force);
  const destination = path.resolve(request.destination ?? defaultDestination(store, subject.model));
  // Copied before the version is registered, so an unwritable destination leaves the store as it was.
  const predicted = existing?.version ?? (store.getModel(subject.model)?.latestVersion ?? 0) + 1;
  let staged: string | undefined;
  if (!(await holdsVersion(destination, predicted, subject.weightsHash))) {
    await checkPackage(subject.uri, label);
    await createDestination(destination);
    staged = await stageCopy(subject.uri, destination, predicted);
  }
  try {
    const version = existing ?? store.registerModelVersion(subject);
    const pushedTo = await installVersion(version, destination, staged);
    const forced = version.blessed !== true;
    await writeAliases(store, version.model, destination, { [request.alias]: version.version });
    const previous = store.getModel(version.model)?.aliases[request.alias] ?? null;
    // Pushing what the alias already means changes nothing, so it adds no line to the history.
    if (previous !== version.version) store.setModelAlias(version.model, request.alias, version.version, { reason: request.reason, forced });
    return {
      version: store.markVersionPushed(version.model, version.version, pushedTo, forced),
      pushedTo,
      previous,
      registered: !existing,
    };
  } finally {
    if (staged) await fs.rm(staged, { recursive: true, force: true });
  }
}

/** The version to push: registered already (named, or the same run and weights pushed before), or to register. */
function pushSubject(store: RunStore, target: PushRequest['target']): { existing?: ModelVersionRecord; subject: NewModelVersion } {
  if (target.kind === 'existing') {
    const version = requireVersion(store, target.model, target.version);
    return { existing: version, subject: version };
  }
  checkModelName(target.version.model);
  const found = store.findModelVersion(target.version.model, target.version.uri, target.version.weightsHash);
  // A later evaluation of the same package (a run that reused the cached model) gives the current verdict.
  const { blessed, evaluationUri } = target.version;
  const existing =
    found && blessed !== null && (found.blessed !== blessed || found.evaluationUri !== evaluationUri)
      ? store.setVersionBlessing(found.model, found.version, blessed, evaluationUri)
      : found;
  return { existing, subject: existing ?? target.version };
}

function checkBlessing(subject: Pick<NewModelVersion, 'blessed' | 'evaluationUri'>, label: string, force: boolean): void {
  if (subject.blessed === true || force) return;
  if (subject.blessed === false) {
    throw UserError.at(
      `${label} is not blessed: its evaluation did not pass the thresholds, so it is not pushed`,
      undefined,
      `see why in ${subject.evaluationUri ?? 'its evaluation'}; push it anyway with --force (recorded in the alias history)`,
    );
  }
  throw UserError.at(
    `${label} was never evaluated, so it is not blessed and is not pushed`,
    undefined,
    'add an evaluate component with thresholds to the pipeline, or push it anyway with --force (recorded in the alias history)',
  );
}

async function checkPackage(uri: string, label: string): Promise<void> {
  try {
    await fs.access(path.join(uri, MANIFEST_FILE));
  } catch {
    throw UserError.at(
      `the model package of ${label} is missing or incomplete: ${uri} has no ${MANIFEST_FILE}`,
      { file: uri },
      'its run artifacts may have been deleted by hand; push another version',
    );
  }
}

async function createDestination(destination: string): Promise<void> {
  try {
    await fs.mkdir(destination, { recursive: true });
  } catch (e) {
    throw destinationError(destination, 'cannot be created', e);
  }
}

function destinationError(destination: string, what: string, cause: unknown): UserError {
  const error = UserError.at(
    `the push destination ${destination} ${what} (${(cause as Error).message})`,
    { file: destination },
    'choose a folder you can write to (`destination:` in the pipeline or --destination), or fix its permissions; nothing was pushed',
  );
  error.cause = cause;
  return error;
}

/**
 * Whether `<destination>/<version>` already holds this model. A folder there with other weights
 * (a store that was recreated, a hand-made folder) is never overwritten.
 */
async function holdsVersion(destination: string, version: number, weightsHash: string): Promise<boolean> {
  const folder = path.join(destination, String(version));
  try {
    await fs.stat(folder);
  } catch (e) {
    // ENOTDIR: something on the way is a file; creating the destination will say so.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw destinationError(destination, 'cannot be read', e);
  }
  const found = await fs
    .readFile(path.join(folder, MANIFEST_FILE), 'utf8')
    .then((text) => (JSON.parse(text) as { weightsHash?: unknown }).weightsHash)
    .catch(() => undefined);
  if (found === weightsHash) return true;
  throw UserError.at(
    `${folder} already exists and holds a different model (weights ${typeof found === 'string' ? found : 'unknown'}, not ${weightsHash})`,
    { file: folder },
    'move that folder away, or push to another destination',
  );
}

/** A complete copy under a hidden name a server ignores (`.<version>.tmp-<pid>-<random>`). */
async function stageCopy(source: string, destination: string, version: number): Promise<string> {
  const temporary = path.join(destination, `.${version}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.cp(source, temporary, { recursive: true, errorOnExist: true, force: false });
    return temporary;
  } catch (e) {
    await fs.rm(temporary, { recursive: true, force: true });
    throw destinationError(destination, `cannot receive a copy of ${source}`, e);
  }
}

/** Puts the version's package at `<destination>/<version>` (kept when already there); one rename makes it appear. */
async function installVersion(version: ModelVersionRecord, destination: string, staged?: string): Promise<string> {
  const final = path.join(destination, String(version.version));
  if (await holdsVersion(destination, version.version, version.weightsHash)) return final;
  await checkPackage(version.uri, versionLabel(version));
  const temporary = staged ?? (await stageCopy(version.uri, destination, version.version));
  try {
    await fs.rename(temporary, final);
  } catch (e) {
    await fs.rm(temporary, { recursive: true, force: true });
    // Another push of the same version may have renamed its copy in first.
    const code = (e as NodeJS.ErrnoException).code;
    if ((code === 'EEXIST' || code === 'ENOTEMPTY') && (await holdsVersion(destination, version.version, version.weightsHash))) return final;
    throw destinationError(destination, 'cannot be written', e);
  }
  return final;
}

/**
 * `aliases.json` lists the model's aliases (with `changes` applied) whose version folder is in this
 * destination, so a server that only watches the folder never follows an alias to a missing version.
 */
async function writeAliases(store: RunStore, model: string, destination: string, changes: Record<string, number>): Promise<void> {
  const aliases = { ...(store.getModel(model)?.aliases ?? {}), ...changes };
  const present: Record<string, number> = {};
  for (const alias of Object.keys(aliases).sort()) {
    const exists = await fs.stat(path.join(destination, String(aliases[alias]))).then(
      () => true,
      () => false,
    );
    if (exists) present[alias] = aliases[alias];
  }
  const file = path.join(destination, ALIASES_FILE);
  const text = JSON.stringify(present, null, 2) + '\n';
  // Unchanged, the file is left alone: a server watching it would reload for nothing.
  if ((await fs.readFile(file, 'utf8').catch(() => undefined)) === text) return;
  try {
    await writeFileAtomic(file, text);
  } catch (e) {
    throw destinationError(destination, `cannot be written (${ALIASES_FILE})`, e);
  }
}

/**
 * The store is the one truth about aliases; a serving folder follows it. A push killed between
 * writing `aliases.json` and recording the alias in the store leaves the folder ahead of the store
 * (a server would serve a version `models list` does not call production): every registry change and
 * `mlops serve` first bring each of the model's serving folders back in line with the store.
 */
export async function syncServingFolders(store: RunStore, model: string): Promise<void> {
  const destinations = new Set(
    store
      .listModelVersions(model)
      .filter((v) => v.pushedTo)
      .map((v) => path.dirname(v.pushedTo!)),
  );
  for (const destination of destinations) {
    if (
      await fs.stat(destination).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      await writeAliases(store, model, destination, {});
  }
}

export interface RollbackOptions {
  /** Default `production`. */
  alias?: string;
  /** The version to go back to; default: the one the alias pointed at before the current one. */
  to?: number;
  reason?: string;
}

/**
 * Points an alias back at an earlier version: by default the one it held before the current one,
 * found by walking the alias history newest first (entries re-pushing the current version are
 * skipped). Rolling back twice therefore toggles between two versions; `to` names any version.
 * The target is copied into the serving folder when it is not there yet.
 */
export async function rollbackModel(store: RunStore, model: string, options: RollbackOptions = {}): Promise<AliasChange> {
  const alias = options.alias ?? DEFAULT_ALIAS;
  checkAliasName(alias);
  const { aliases } = requireModel(store, model);
  await syncServingFolders(store, model);
  const current = aliases[alias];
  if (current === undefined) {
    throw UserError.at(
      `model '${model}' has no ${alias} version to roll back`,
      undefined,
      `push a version first (\`mlops push\`), or set ${alias} with promote`,
    );
  }
  const targetVersion = options.to ?? previousVersion(store, model, alias, current);
  const target = requireVersion(store, model, targetVersion);
  if (target.version === current) {
    throw UserError.at(`${model}@${alias} already points at version ${current}`, undefined, 'name another version with --to');
  }
  const forced = target.blessed !== true;
  const destination = servingDestination(store, model, current, target) ?? defaultDestination(store, model);
  const pushedTo = await deploy(store, target, alias, destination);
  const change = store.setModelAlias(model, alias, target.version, { reason: options.reason ?? `rollback from version ${current}`, forced, rollback: true });
  store.markVersionPushed(model, target.version, pushedTo, forced);
  return change;
}

function previousVersion(store: RunStore, model: string, alias: string, current: number): number {
  const earlier = rollbackTarget(store.aliasHistory(model, alias), alias, current);
  if (earlier === undefined) {
    throw UserError.at(
      `${model}@${alias} has no earlier version to roll back to: it has only ever pointed at version ${current}`,
      undefined,
      'name a version with --to, or push another one',
    );
  }
  return earlier;
}

/**
 * Points an alias (`staging`, ...) at a version without the blessing check of a push. When the
 * model is served from a folder, the version is copied there and `aliases.json` updated, so every
 * alias a server reads leads to a complete version.
 */
export async function promoteModel(store: RunStore, model: string, version: number, alias: string, reason: string): Promise<AliasChange> {
  checkAliasName(alias);
  const target = requireVersion(store, model, version);
  await syncServingFolders(store, model);
  const destination = servingDestination(store, model, requireModel(store, model).aliases[alias], target);
  const pushedTo = destination === undefined ? undefined : await deploy(store, target, alias, destination);
  const change = store.setModelAlias(model, alias, version, { reason, forced: false });
  if (pushedTo !== undefined) store.markVersionPushed(model, version, pushedTo, target.forced);
  return change;
}

async function deploy(store: RunStore, version: ModelVersionRecord, alias: string, destination: string): Promise<string> {
  await createDestination(destination);
  const pushedTo = await installVersion(version, destination);
  await writeAliases(store, version.model, destination, { [alias]: version.version });
  return pushedTo;
}

/**
 * Where the model is served: the folder of the version the alias points at now, else of the
 * target, else of the newest pushed version; undefined when it was never pushed.
 */
function servingDestination(store: RunStore, model: string, current: number | undefined, target: ModelVersionRecord): string | undefined {
  const pushed = [current === undefined ? undefined : store.getModelVersion(model, current), target, ...store.listModelVersions(model)].find(
    (v) => v?.pushedTo,
  );
  return pushed?.pushedTo ? path.dirname(pushed.pushedTo) : undefined;
}

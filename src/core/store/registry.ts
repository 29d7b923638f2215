import { checkAliasName, checkModelName, unknownAliasError, unknownModelError, unknownVersionError } from '../registry/names';
import type { AliasChange, ModelRecord, ModelVersionRecord, NewModelVersion } from '../registry/types';
import type { StoreContext } from './context';
import { expectChanged } from './rows';

/**
 * The model registry's queries (tables of migration 3). Versions are numbered 1, 2, ... per model
 * inside the write transaction that inserts them, so two processes registering at once get distinct
 * numbers. Every alias change writes a history row in the same transaction.
 */

const VERSION_COLUMNS = `v.model, v.version, v.run_id AS runId, v.uri, v.weights_hash AS weightsHash, v.task, v.blessed,
  v.evaluation_uri AS evaluationUri, v.metrics, v.created_at AS createdAt, v.pushed_to AS pushedTo, v.forced,
  (SELECT json_group_array(al.alias) FROM model_aliases al WHERE al.model = v.model AND al.version = v.version) AS aliases`;

const HISTORY_COLUMNS = `model, alias, from_version AS fromVersion, to_version AS toVersion, at, reason, forced, rollback`;

type VersionRow = Omit<ModelVersionRecord, 'blessed' | 'forced' | 'metrics' | 'aliases'> & {
  blessed: number | null;
  forced: number;
  metrics: string;
  aliases: string;
};

function toVersion(row: unknown): ModelVersionRecord {
  const r = row as VersionRow;
  return {
    ...r,
    blessed: r.blessed === null ? null : r.blessed === 1,
    forced: r.forced === 1,
    metrics: JSON.parse(r.metrics) as Record<string, number>,
    aliases: (JSON.parse(r.aliases) as string[]).sort(),
  };
}

function toChange(row: unknown): AliasChange {
  const r = row as Omit<AliasChange, 'forced' | 'rollback'> & { forced: number; rollback: number };
  return { ...r, forced: r.forced === 1, rollback: r.rollback === 1 };
}

/** JSON has no NaN or Infinity: a metric that diverged is left out rather than stored as null. */
function metricsJson(metrics: Record<string, number>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value))));
}

/**
 * Registers a run's model as the model's next version, creating the model on its first version.
 * Idempotent: the same model package (folder and weights) gives back the version registered before,
 * so a run that reused a cached model registers no new version.
 */
export function registerModelVersion(ctx: StoreContext, v: NewModelVersion): ModelVersionRecord {
  checkModelName(v.model);
  return ctx.write(() => {
    const existing = findModelVersion(ctx, v.model, v.uri, v.weightsHash);
    if (existing) return existing;
    const now = ctx.now();
    ctx.statement('INSERT INTO models (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(v.model, now);
    const { next } = ctx.statement('SELECT coalesce(max(version), 0) + 1 AS next FROM model_versions WHERE model = ?').get(v.model) as { next: number };
    ctx
      .statement(
        `INSERT INTO model_versions (model, version, run_id, uri, weights_hash, task, blessed, evaluation_uri, metrics, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(v.model, next, v.runId, v.uri, v.weightsHash, v.task, v.blessed === null ? null : Number(v.blessed), v.evaluationUri, metricsJson(v.metrics), now);
    return getModelVersion(ctx, v.model, next) as ModelVersionRecord;
  });
}

/** The version a run's model was registered as, if it was (`run_id IS ?` also matches a deleted run's NULL). */
export function findModelVersion(ctx: StoreContext, model: string, uri: string, weightsHash: string): ModelVersionRecord | undefined {
  const row = ctx
    .statement(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model = ? AND v.uri = ? AND v.weights_hash = ? ORDER BY v.version LIMIT 1`)
    .get(model, uri, weightsHash);
  return row === undefined ? undefined : toVersion(row);
}

export function listModels(ctx: StoreContext): ModelRecord[] {
  return ctx.read(() => modelsWhere(ctx, undefined));
}

export function getModel(ctx: StoreContext, name: string): ModelRecord | undefined {
  return ctx.read(() => modelsWhere(ctx, name)[0]);
}

function modelsWhere(ctx: StoreContext, name: string | undefined): ModelRecord[] {
  const models = ctx
    .statement(
      `SELECT m.name, m.created_at AS createdAt, coalesce(max(v.version), 0) AS latestVersion, count(v.version) AS versionCount
       FROM models m LEFT JOIN model_versions v ON v.model = m.name
       WHERE @name IS NULL OR m.name = @name GROUP BY m.name ORDER BY m.name`,
    )
    .all({ name: name ?? null }) as Omit<ModelRecord, 'aliases'>[];
  const aliases = ctx
    .statement('SELECT model, alias, version FROM model_aliases WHERE @name IS NULL OR model = @name ORDER BY model, alias')
    .all({ name: name ?? null }) as { model: string; alias: string; version: number }[];
  return models.map((m) => ({
    ...m,
    aliases: Object.fromEntries(aliases.filter((a) => a.model === m.name).map((a) => [a.alias, a.version])),
  }));
}

/** Newest first; empty for an unknown model. */
export function listModelVersions(ctx: StoreContext, model: string): ModelVersionRecord[] {
  return ctx.statement(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model = ? ORDER BY v.version DESC`).all(model).map(toVersion);
}

/** The versions a run registered (usually one), newest first. */
export function modelVersionsOfRun(ctx: StoreContext, runId: number): ModelVersionRecord[] {
  return ctx
    .statement(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.run_id = ? ORDER BY v.created_at DESC, v.version DESC`)
    .all(runId)
    .map(toVersion);
}

/** Versions whose package is one of these folders (lineage: which versions a model artifact became). */
export function modelVersionsByUri(ctx: StoreContext, uris: readonly string[]): ModelVersionRecord[] {
  if (uris.length === 0) return [];
  return ctx
    .statement(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.uri IN (SELECT value FROM json_each(?)) ORDER BY v.model, v.version`)
    .all(JSON.stringify([...new Set(uris)]))
    .map(toVersion);
}

export function getModelVersion(ctx: StoreContext, model: string, version: number): ModelVersionRecord | undefined {
  const row = ctx.statement(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model = ? AND v.version = ?`).get(model, version);
  return row === undefined ? undefined : toVersion(row);
}

/**
 * Points `alias` at `version` (null removes it) and records the change with its reason, in one
 * transaction. Setting an alias to the version it already has is recorded too: a re-push is an event.
 */
export function setModelAlias(
  ctx: StoreContext,
  model: string,
  alias: string,
  version: number | null,
  change: { reason: string; forced: boolean; rollback?: boolean },
): AliasChange {
  checkAliasName(alias);
  return ctx.write(() => {
    const current = requireModel(ctx, model).aliases;
    if (version !== null) requireVersion(ctx, model, version);
    const fromVersion = current[alias] ?? null;
    if (version === null) {
      if (fromVersion === null) throw unknownAliasError(model, alias, current);
      ctx.statement('DELETE FROM model_aliases WHERE model = ? AND alias = ?').run(model, alias);
    } else {
      ctx
        .statement(
          `INSERT INTO model_aliases (model, alias, version) VALUES (?, ?, ?)
           ON CONFLICT (model, alias) DO UPDATE SET version = excluded.version`,
        )
        .run(model, alias, version);
    }
    const at = ctx.now();
    ctx
      .statement('INSERT INTO alias_history (model, alias, from_version, to_version, at, reason, forced, rollback) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(model, alias, fromVersion, version, at, change.reason, Number(change.forced), Number(change.rollback ?? false));
    return { model, alias, fromVersion, toVersion: version, at, reason: change.reason, forced: change.forced, rollback: change.rollback ?? false };
  });
}

/** Newest first: of one alias, or of all the model's aliases. */
export function aliasHistory(ctx: StoreContext, model: string, alias?: string): AliasChange[] {
  return ctx
    .statement(`SELECT ${HISTORY_COLUMNS} FROM alias_history WHERE model = @model AND (@alias IS NULL OR alias = @alias) ORDER BY id DESC`)
    .all({ model, alias: alias ?? null })
    .map(toChange);
}

/** Records where a version was copied for serving, and whether that push overrode a missing blessing. */
export function markVersionPushed(ctx: StoreContext, model: string, version: number, pushedTo: string, forced: boolean): ModelVersionRecord {
  return ctx.write(() => {
    requireVersion(ctx, model, version);
    ctx.statement('UPDATE model_versions SET pushed_to = ?, forced = ? WHERE model = ? AND version = ?').run(pushedTo, Number(forced), model, version);
    return getModelVersion(ctx, model, version) as ModelVersionRecord;
  });
}

/** Records a later evaluation's verdict on a registered version. */
export function setVersionBlessing(ctx: StoreContext, model: string, version: number, blessed: boolean, evaluationUri: string | null): ModelVersionRecord {
  return ctx.write(() => {
    const result = ctx
      .statement('UPDATE model_versions SET blessed = ?, evaluation_uri = ? WHERE model = ? AND version = ?')
      .run(Number(blessed), evaluationUri, model, version);
    expectChanged(result, `version ${version} of model ${model} does not exist`);
    return getModelVersion(ctx, model, version) as ModelVersionRecord;
  });
}

/** Newest first: the runs with a live model to register, for "did you mean" hints. */
export function runsWithModels(ctx: StoreContext, limit: number): number[] {
  return ctx
    .statement(
      `SELECT DISTINCT e.run_id FROM artifacts a JOIN events ev ON ev.artifact_id = a.id AND ev.role = 'output'
       JOIN executions e ON e.id = ev.execution_id
       WHERE a.type = 'Model' AND a.state = 'live' ORDER BY e.run_id DESC LIMIT ?`,
    )
    .column(limit) as number[];
}

function requireModel(ctx: StoreContext, model: string): ModelRecord {
  const found = modelsWhere(ctx, model)[0];
  if (!found)
    throw unknownModelError(
      model,
      modelsWhere(ctx, undefined).map((m) => m.name),
    );
  return found;
}

function requireVersion(ctx: StoreContext, model: string, version: number): ModelVersionRecord {
  requireModel(ctx, model);
  const found = getModelVersion(ctx, model, version);
  if (!found)
    throw unknownVersionError(
      model,
      version,
      listModelVersions(ctx, model)
        .map((v) => v.version)
        .reverse(),
    );
  return found;
}

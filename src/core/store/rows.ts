import type { ArtifactRecord, ExecutionRecord, RunRecord } from './types';

/**
 * Column lists that alias snake_case columns to the record fields, so a row needs converting only
 * where SQLite has no matching type (booleans, JSON properties).
 */

export const RUN_COLUMNS = `r.id, r.pipeline_id AS pipelineId, p.name AS pipelineName, r.pipeline_file AS pipelineFile,
  r.status, r.component, r.started_at AS startedAt, r.ended_at AS endedAt, r.pipeline_hash AS pipelineHash,
  r.git_commit AS gitCommit, r.git_dirty AS gitDirty, r.tool_version AS toolVersion, r.tfjs_backend AS tfjsBackend,
  r.seed, r.error, r.pid, r.hostname, r.parent_run_id AS parentRunId, r.node_version AS nodeVersion,
  r.sqlite_driver AS sqliteDriver, r.sqlite_version AS sqliteVersion, r.trigger, r.reproduces_run_id AS reproducesRunId`;
export const RUNS_FROM = 'runs r JOIN pipelines p ON p.id = r.pipeline_id';

export const EXECUTION_COLUMNS = `e.id, e.run_id AS runId, e.component, e.type, e.status, e.started_at AS startedAt,
  e.ended_at AS endedAt, e.cache_key AS cacheKey, e.error, e.properties`;

export const ARTIFACT_COLUMNS = `a.id, a.type, a.uri, a.state, a.content_hash AS contentHash, a.size_bytes AS sizeBytes,
  a.properties, a.created_at AS createdAt`;

/** An artifact seen through one event; needs `events ev` joined to `artifacts a`. */
export const LINKED_ARTIFACT_COLUMNS = `${ARTIFACT_COLUMNS}, ev.execution_id AS executionId, ev.role, ev.name`;

type RunRow = Omit<RunRecord, 'gitDirty' | 'trigger'> & { gitDirty: number | null; trigger: string | null };
type WithJsonProperties<T> = Omit<T, 'properties'> & { properties: string };

export function toRun(row: unknown): RunRecord {
  const r = row as RunRow;
  return {
    ...r,
    gitDirty: r.gitDirty === null ? null : r.gitDirty === 1,
    trigger: r.trigger === null ? null : (JSON.parse(r.trigger) as RunRecord['trigger']),
  };
}

export function toExecution(row: unknown): ExecutionRecord {
  const r = row as WithJsonProperties<ExecutionRecord>;
  return { ...r, properties: JSON.parse(r.properties) as Record<string, unknown> };
}

/** Also carries extra selected columns (executionId, role, name) through unchanged. */
export function toArtifact<T extends ArtifactRecord = ArtifactRecord>(row: unknown): T {
  const r = row as WithJsonProperties<T>;
  return { ...r, properties: JSON.parse(r.properties) as Record<string, unknown> } as T;
}

export function propertiesJson(properties: Record<string, unknown> | undefined): string {
  return JSON.stringify(properties ?? {});
}

/** Binds an id list as one parameter (`IN (SELECT value FROM json_each(?))`), so the SQL text stays fixed. */
export function idList(ids: readonly (number | string)[]): string {
  return JSON.stringify(ids);
}

/** For updates by id: touching nothing means the caller holds a wrong id, which is a bug, not a user error. */
export function expectChanged(result: { changes: number }, what: string): void {
  if (result.changes === 0) throw new Error(what);
}

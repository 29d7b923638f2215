import type { StoreContext } from './context';
import { ARTIFACT_COLUMNS, expectChanged, propertiesJson, toArtifact } from './rows';
import type { ArtifactRecord, EventRole, NewArtifact } from './types';

/**
 * Artifacts follow TFX's life cycle: recorded `pending` before their content is written, `live` once
 * it is complete and renamed into place, `abandoned` when the write failed or its process died. Only
 * live artifacts satisfy the cache.
 */

export function createArtifact(ctx: StoreContext, artifact: NewArtifact): ArtifactRecord {
  const id = ctx.write(
    () =>
      ctx
        .statement(`INSERT INTO artifacts (type, uri, state, properties, created_at) VALUES (?, ?, 'pending', ?, ?)`)
        .run(artifact.type, artifact.uri, propertiesJson(artifact.properties), ctx.now()).lastInsertRowid,
  );
  return getArtifact(ctx, Number(id)) as ArtifactRecord;
}

export function publishArtifact(ctx: StoreContext, artifactId: number, content: { contentHash: string; sizeBytes: number }): ArtifactRecord {
  ctx.write(() => {
    const result = ctx
      .statement(`UPDATE artifacts SET state = 'live', content_hash = ?, size_bytes = ? WHERE id = ? AND state = 'pending'`)
      .run(content.contentHash, content.sizeBytes, artifactId);
    expectChanged(result, `artifact ${artifactId} does not exist or is not pending`);
  });
  return getArtifact(ctx, artifactId) as ArtifactRecord;
}

export function abandonArtifact(ctx: StoreContext, artifactId: number): void {
  ctx.write(() => {
    const result = ctx.statement(`UPDATE artifacts SET state = 'abandoned' WHERE id = ? AND state = 'pending'`).run(artifactId);
    expectChanged(result, `artifact ${artifactId} does not exist or is not pending`);
  });
}

/**
 * Linking twice is harmless, so a retried step can record its inputs again. ON CONFLICT rather than
 * INSERT OR IGNORE, which would also swallow CHECK failures.
 */
export function linkArtifact(ctx: StoreContext, executionId: number, artifactId: number, role: EventRole, name: string): void {
  ctx.write(() => {
    ctx
      .statement('INSERT INTO events (execution_id, artifact_id, role, name) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(executionId, artifactId, role, name);
  });
}

export function getArtifact(ctx: StoreContext, artifactId: number): ArtifactRecord | undefined {
  const row = ctx.statement(`SELECT ${ARTIFACT_COLUMNS} FROM artifacts a WHERE a.id = ?`).get(artifactId);
  return row === undefined ? undefined : toArtifact(row);
}

/**
 * Artifact ids recorded at any of these locations, newest first: a data file read by several runs is
 * one artifact per run that read it (a scan: paths are looked up by people, not in loops).
 */
export function artifactIdsAt(ctx: StoreContext, uris: readonly string[], limit: number): number[] {
  return ctx
    .statement(`SELECT id FROM artifacts WHERE uri IN (SELECT value FROM json_each(?)) AND state = 'live' ORDER BY id DESC LIMIT ?`)
    .column(JSON.stringify([...new Set(uris)]), limit) as number[];
}

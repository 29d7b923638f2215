import type { StoreContext } from './context';
import type { NewRunFile, RunFileRecord } from './types';

/**
 * Links files to a run and stores each content once: a content some run stored before (the same
 * pipeline file run again) is only linked, never written twice.
 */
export function storeRunFiles(ctx: StoreContext, runId: number, files: readonly NewRunFile[]): void {
  if (!files.length) return;
  ctx.write(() => {
    const content = ctx.statement('INSERT INTO contents (hash, bytes) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING');
    const link = ctx.statement('INSERT INTO run_files (run_id, path, role, hash) VALUES (?, ?, ?, ?) ON CONFLICT (run_id, path) DO NOTHING');
    for (const f of files) {
      content.run(f.hash, f.bytes);
      link.run(runId, f.path, f.role, f.hash);
    }
  });
}

/** The files stored with a run, pipeline file first, without their contents. */
export function runFiles(ctx: StoreContext, runId: number): RunFileRecord[] {
  return ctx
    .statement(
      `SELECT f.path, f.role, f.hash, length(c.bytes) AS sizeBytes FROM run_files f JOIN contents c ON c.hash = f.hash
       WHERE f.run_id = ? ORDER BY f.role = 'pipeline' DESC, f.path`,
    )
    .all(runId) as RunFileRecord[];
}

export function storedContent(ctx: StoreContext, hash: string): Uint8Array | undefined {
  const row = ctx.statement('SELECT bytes FROM contents WHERE hash = ?').get(hash) as { bytes: Uint8Array } | undefined;
  return row?.bytes;
}

import * as os from 'node:os';
import { UserError } from '../util/problems';
import type { StoreContext } from './context';
import { isAlive } from './recover';

/** A running `mlops watch` (table of migration 9): one per pipeline file. */
export interface WatcherRecord {
  pipelineFile: string;
  pid: number;
  hostname: string;
  startedAt: number;
}

const COLUMNS = 'pipeline_file AS pipelineFile, pid, hostname, started_at AS startedAt';

/** A pid means nothing on another machine sharing the store: a watcher there counts as live. */
const live = (w: WatcherRecord) => w.hostname !== os.hostname() || isAlive(w.pid);

/**
 * Registers this process as the watcher of a pipeline file; a live watcher of the same file is a
 * user error (two would start every triggered run twice), a dead one's row is taken over.
 */
export function registerWatcher(ctx: StoreContext, pipelineFile: string): WatcherRecord {
  return ctx.write(() => {
    const existing = liveWatcher(ctx, pipelineFile);
    if (existing && existing.pid !== process.pid) {
      throw UserError.at(
        `${pipelineFile} is already watched by process ${existing.pid} on ${existing.hostname}`,
        { file: pipelineFile },
        'stop that mlops watch first (Ctrl+C, or MLOps: Stop Watching in VS Code)',
      );
    }
    ctx
      .statement(
        `INSERT INTO watchers (pipeline_file, pid, hostname, started_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (pipeline_file) DO UPDATE SET pid = excluded.pid, hostname = excluded.hostname, started_at = excluded.started_at`,
      )
      .run(pipelineFile, process.pid, os.hostname(), ctx.now());
    return liveWatcher(ctx, pipelineFile) as WatcherRecord;
  });
}

/** Removes this process's registration (another process's stays). */
export function unregisterWatcher(ctx: StoreContext, pipelineFile: string): void {
  ctx.write(() => ctx.statement('DELETE FROM watchers WHERE pipeline_file = ? AND pid = ? AND hostname = ?').run(pipelineFile, process.pid, os.hostname()));
}

/** The watcher of a pipeline file whose process still runs. */
export function liveWatcher(ctx: StoreContext, pipelineFile: string): WatcherRecord | undefined {
  const row = ctx.statement(`SELECT ${COLUMNS} FROM watchers WHERE pipeline_file = ?`).get(pipelineFile) as WatcherRecord | undefined;
  return row && live(row) ? row : undefined;
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
// The file module alone: the stats index would bring the engine (workers, sketches) into the bundle.
import { readStatistics } from '../../core/stats/file';
import type { StatisticsFile } from '../../core/stats/types';
import type { LinkedArtifact, RunDetails } from '../../core/store/types';
import { isStatisticsFile } from './collect';
import { errorMessage } from '../../core/util/errorMessage';

/**
 * Where a run's statistics are: the `Statistics` output artifact of its statistics component, a
 * folder holding `statistics.json` (a plain `.json` URI is accepted too). No `vscode` import, so the
 * tests can use it without an editor.
 */

export const STATISTICS_ARTIFACT_TYPE = 'Statistics';
export const STATISTICS_FILE_NAME = 'statistics.json';

/** Live Statistics outputs of a run, newest (highest id) first. */
export function statisticsArtifacts(details: RunDetails): LinkedArtifact[] {
  return details.artifacts.filter((a) => a.type === STATISTICS_ARTIFACT_TYPE && a.role === 'output' && a.state === 'live').sort((x, y) => y.id - x.id);
}

/** The store keeps URIs absolute, or relative to the workspace root; `file://` URIs happen too. */
export function statisticsFilePath(uri: string, root: string): string {
  const p = uri.startsWith('file://') ? decodeURIComponent(new URL(uri).pathname) : path.resolve(root, uri);
  return p.toLowerCase().endsWith('.json') ? p : path.join(p, STATISTICS_FILE_NAME);
}

/** A file that is not statistics, or cannot be read: shown in the panel as a message. */
export class StatisticsReadError extends Error {}

/**
 * Reads statistics files, keeping the last few parsed: re-selecting datasets, expanding rows and
 * copying CSV all work from one parse. A changed file (mtime or size) is read again.
 */
export class StatisticsFiles {
  private readonly cache = new Map<string, { key: string; file: StatisticsFile }>();

  constructor(private readonly capacity = 4) {}

  async read(file: string): Promise<StatisticsFile> {
    let key: string;
    try {
      const st = await fs.stat(file);
      key = `${st.mtimeMs}:${st.size}`;
    } catch (e) {
      throw new StatisticsReadError(`${file} cannot be read: ${errorMessage(e)}`);
    }
    const hit = this.cache.get(file);
    if (hit && hit.key === key) {
      // Refresh its place: the map's order is the eviction order.
      this.cache.delete(file);
      this.cache.set(file, hit);
      return hit.file;
    }
    let parsed: StatisticsFile;
    try {
      // The engine's reader: the same format and version checks, and messages, as the CLI.
      parsed = await readStatistics(file);
    } catch (e) {
      throw new StatisticsReadError(e instanceof Error ? `${e.message} (${file})` : String(e));
    }
    if (!isStatisticsFile(parsed)) throw new StatisticsReadError(`${file} is not an mlops statistics file: a dataset lacks its features.`);
    this.cache.set(file, { key, file: parsed });
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return parsed;
  }
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { globFiles, globParts } from '../data/spans';
import type { FileLook } from './settle';

/**
 * Looks at the files `data.train` names now: a glob's matches, or the one literal file when it
 * exists. A file gone between the glob and its stat is skipped (it is looked at again next time).
 */
export async function lookAtSpans(pattern: string): Promise<FileLook[]> {
  const parts = globParts(pattern);
  const files = parts ? await globFiles(parts).catch(() => []) : [pattern];
  const looks = await Promise.all(
    files.map(async (file) => {
      try {
        const stat = await fs.stat(file);
        return stat.isFile() ? { file: path.normalize(file), bytes: stat.size, mtimeMs: stat.mtimeMs } : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return looks.filter((l): l is FileLook => l !== undefined);
}

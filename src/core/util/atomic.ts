import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Write to a temporary file in the same folder, then rename: a rename within a file system is
 * atomic, so an editor watching the file or a concurrent run never reads half of it.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(tmp, text, 'utf8');
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

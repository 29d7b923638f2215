import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface ContentDigest {
  /** `sha256:<hex>`. A folder hashes its files' relative paths and digests, in sorted order. */
  hash: string;
  sizeBytes: number;
}

export async function digestPath(target: string): Promise<ContentDigest> {
  const stat = await fs.stat(target);
  if (!stat.isDirectory()) return { hash: 'sha256:' + (await fileSha256(target)), sizeBytes: stat.size };
  const files = await listFiles(target);
  const h = createHash('sha256');
  let sizeBytes = 0;
  for (const rel of files) {
    const file = path.join(target, rel);
    sizeBytes += (await fs.stat(file)).size;
    h.update(`${rel.split(path.sep).join('/')}\0${await fileSha256(file)}\n`);
  }
  return { hash: 'sha256:' + h.digest('hex'), sizeBytes };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await fs.readdir(path.join(dir, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

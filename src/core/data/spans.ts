import { promises as fsp } from 'fs';
import * as path from 'path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { Located } from '../pipeline/config';
import { UserError } from '../util/problems';

/** One data file: a span of a split, named by its path below the glob's fixed folder. */
export interface SpanFile {
  name: string;
  file: string;
  bytes: number;
}

/**
 * The files a `data.*` entry names, ordered by name. A literal path must exist; a glob must match
 * at least one file. Both failures point at the entry in the pipeline file.
 */
export async function resolveSpans(pattern: Located<string>, key: string): Promise<SpanFile[]> {
  const spec = pattern.value;
  const parts = globParts(spec);
  if (!parts) {
    const bytes = await literalFileSize(spec, pattern, key);
    return [{ name: path.basename(spec), file: spec, bytes }];
  }
  const { base } = parts;
  const files = await globFiles(parts);
  if (files.length === 0) {
    throw UserError.at(`${key}: no file matches ${spec}`, pattern.location, 'check the pattern; relative paths resolve from the pipeline file folder');
  }
  const spans = files.map((f) => ({ name: path.relative(base, f).split(path.sep).join('/'), file: path.normalize(f) }));
  spans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Promise.all(spans.map(async (s) => ({ ...s, bytes: (await fsp.stat(s.file)).size })));
}

/**
 * A glob split at its first dynamic segment: globbing from the fixed folder, not the process's cwd,
 * keeps the crawl small and the names short. Undefined for a literal path.
 */
export function globParts(spec: string): { base: string; glob: string } | undefined {
  const segments = spec.split(path.sep === '\\' ? /[\\/]/ : '/');
  const firstDynamic = segments.findIndex((s) => isDynamicPattern(s));
  if (firstDynamic < 0) return undefined;
  return { base: segments.slice(0, firstDynamic).join(path.sep) || path.sep, glob: segments.slice(firstDynamic).join('/') };
}

/** The files a glob's parts match, absolute. */
export function globFiles(parts: { base: string; glob: string }): Promise<string[]> {
  return glob(parts.glob, { cwd: parts.base, absolute: true, onlyFiles: true, expandDirectories: false });
}

async function literalFileSize(file: string, pattern: Located<string>, key: string): Promise<number> {
  try {
    const stat = await fsp.stat(file);
    if (!stat.isDirectory()) return stat.size;
    throw UserError.at(`${key}: ${file} is a folder, not a CSV file`, pattern.location, `use a glob such as ${path.join(file, '*.csv')}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw UserError.at(`${key}: data file not found: ${file}`, pattern.location);
  }
}

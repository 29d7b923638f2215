import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ALIASES_FILE } from '../registry/push';
import { DEFAULT_ALIAS } from '../registry/refs';

/**
 * A serving folder as TF Serving reads one: every `<version>/` subfolder (digits) is a version,
 * `aliases.json` maps alias names to versions. Hidden folders (a push's `.3.tmp-…` copy) are not
 * versions yet: push renames them into place complete.
 */
export interface ServingFolder {
  /** Version numbers present, ascending. */
  versions: number[];
  /** Alias → version, as aliases.json says (a version whose folder is missing is not served). */
  aliases: Record<string, number>;
  /** Why aliases.json could not be read (it is then taken as empty); undefined when fine or absent. */
  aliasesError?: string;
}

const VERSION_FOLDER = /^\d+$/;

export async function readServingFolder(dir: string): Promise<ServingFolder> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { versions: [], aliases: {} };
    throw e;
  }
  const versions = entries
    .filter((e) => e.isDirectory() && VERSION_FOLDER.test(e.name))
    .map((e) => Number(e.name))
    .filter((v) => Number.isSafeInteger(v) && v > 0)
    .sort((a, b) => a - b);
  const { aliases, error } = await readAliases(path.join(dir, ALIASES_FILE));
  return error === undefined ? { versions, aliases } : { versions, aliases, aliasesError: error };
}

async function readAliases(file: string): Promise<{ aliases: Record<string, number>; error?: string }> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { aliases: {} };
    return { aliases: {}, error: `${file} cannot be read (${(e as Error).message})` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { aliases: {}, error: `${file} is not valid JSON (${(e as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { aliases: {}, error: `${file} should be an object of alias → version, like {"production": 3}` };
  }
  const aliases: Record<string, number> = {};
  for (const [alias, version] of Object.entries(parsed)) {
    if (!Number.isSafeInteger(version) || (version as number) <= 0) {
      return { aliases: {}, error: `${file}: alias '${alias}' is ${JSON.stringify(version)}, not a version number` };
    }
    aliases[alias] = version as number;
  }
  return { aliases };
}

/**
 * What the server answers by default: the `production` alias, else the highest version. A
 * production alias whose folder is missing still wins: serving another version instead (a staging
 * candidate, say) would be worse than waiting for it.
 */
export function defaultVersion(folder: Pick<ServingFolder, 'versions' | 'aliases'>): number | undefined {
  return folder.aliases[DEFAULT_ALIAS] ?? folder.versions.at(-1);
}

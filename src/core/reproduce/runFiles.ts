import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PipelineConfig, StepConfig } from '../pipeline/config';
import type { NewRunFile } from '../store/types';
import { commandWords, type CommandWord } from './commandWords';

/** A file named on a command line that is bigger than this is data, not a script: it is not stored. */
export const MAX_SCRIPT_BYTES = 1 << 20;

/** A word of a step's command that names a file of the workspace. */
export interface ScriptWord extends CommandWord {
  /** Absolute path of the file. */
  path: string;
}

/**
 * The words of a step's command that name files under the pipeline's folder or the step's working
 * folder (the script it runs, a config it passes), whether or not they exist; the step's declared
 * outputs are left out, they are what it writes.
 */
export function scriptWords(step: StepConfig, config: Pick<PipelineConfig, 'dir'>): ScriptWord[] {
  const outputs = new Set([...Object.values(step.outputs), ...(step.metrics ? [step.metrics] : [])]);
  const inside = (file: string, dir: string) => {
    const rel = path.relative(dir, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  return commandWords(step.run)
    .map((w) => ({ ...w, path: path.resolve(step.cwd, w.value) }))
    .filter((w) => (inside(w.path, config.dir) || inside(w.path, step.cwd)) && !outputs.has(w.path));
}

/**
 * What a run stores to be reproducible: the pipeline file's text and every existing file the
 * selected steps' commands name, up to MAX_SCRIPT_BYTES each. Each file is read and hashed once.
 */
export async function collectRunFiles(config: PipelineConfig, steps: readonly StepConfig[]): Promise<NewRunFile[]> {
  const paths = [...new Set(steps.flatMap((step) => scriptWords(step, config).map((w) => w.path)))].filter((p) => p !== config.file);
  const scripts = await Promise.all(paths.map(readScript));
  return [
    { path: config.file, role: 'pipeline', hash: config.hash, bytes: Buffer.from(config.text, 'utf8') },
    ...paths.flatMap((file, i): NewRunFile[] => {
      const bytes = scripts[i];
      return bytes ? [{ path: file, role: 'script', hash: contentHash(bytes), bytes }] : [];
    }),
  ];
}

export function contentHash(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}

/** A regular file's bytes, or undefined when there is none or it is too big to be a script. */
async function readScript(file: string): Promise<Buffer | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile() || stat.size > MAX_SCRIPT_BYTES) return undefined;
  return fs.readFile(file).catch(() => undefined);
}

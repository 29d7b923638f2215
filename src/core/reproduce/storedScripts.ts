import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { PipelineConfig } from '../pipeline/config';
import type { NewRunFile } from '../store/types';
import { shellQuote } from './commandWords';
import { scriptWords } from './runFiles';

export interface StoredScripts {
  /** The pipeline with each step's command naming the stored copies instead of the edited files. */
  config: PipelineConfig;
  /** Removes the copies. */
  remove(): Promise<void>;
}

/**
 * Writes each edited script's stored copy beside the file it was (`train.py` →
 * `train.mlops-reproduce-<pid>.py`), so relative paths and sibling imports resolve as they did, and
 * points the steps' commands at the copies.
 */
export async function useStoredScripts(config: PipelineConfig, edited: readonly NewRunFile[]): Promise<StoredScripts> {
  const copies = new Map<string, string>();
  const remove = () => Promise.all([...copies.values()].map((c) => fs.rm(c, { force: true }))).then(() => undefined);
  try {
    for (const script of edited) {
      const ext = path.extname(script.path);
      const copy = path.join(path.dirname(script.path), `${path.basename(script.path, ext)}.mlops-reproduce-${process.pid}${ext}`);
      const mode = (await fs.stat(script.path).catch(() => undefined))?.mode ?? 0o755;
      copies.set(script.path, copy);
      await fs.mkdir(path.dirname(copy), { recursive: true });
      await fs.writeFile(copy, script.bytes, { mode });
    }
  } catch (e) {
    await remove();
    throw e;
  }
  const steps = config.steps.map((step) => {
    // From the last word back, so the earlier words' offsets still hold.
    const words = scriptWords(step, config)
      .filter((w) => copies.has(w.path))
      .reverse();
    const run = words.reduce((command, w) => command.slice(0, w.start) + shellQuote(copies.get(w.path)!) + command.slice(w.end), step.run);
    return run === step.run ? step : { ...step, run };
  });
  return { config: { ...config, steps }, remove };
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../util/problems';
import type { PipelineConfig } from './config';
import { parsePipeline } from './parse';

export { parsePipeline, type ParsedPipeline } from './parse';
export type { ComponentInfo } from './components';

/** Reads and checks a pipeline file; every problem in it comes back at once as one UserError. */
export async function loadPipeline(file: string): Promise<PipelineConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw UserError.at(
      code === 'ENOENT' ? 'pipeline file not found' : `cannot read the pipeline file (${code})`,
      { file: absolute },
      code === 'ENOENT' ? 'pipeline files are named *.pipeline.yaml, *.pipeline.yml or *.pipeline.json' : undefined,
    );
  }
  const parsed = parsePipeline(text, absolute);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length || !parsed.config) throw new UserError(errors);
  return parsed.config;
}

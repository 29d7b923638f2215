import * as path from 'node:path';
import type { StepConfig } from '../../src/core/pipeline/config';

/** A step as the pipeline file would declare it, in `dir` (its pipeline file's folder), named `s` unless told. */
export function stepConfig(dir: string, over: Partial<StepConfig> = {}): StepConfig {
  return {
    name: 's',
    run: 'true',
    after: [],
    cwd: dir,
    env: {},
    inputs: {},
    outputs: {},
    models: {},
    location: { file: path.join(dir, 'p.pipeline.yaml'), line: 7, column: 5 },
    ...over,
  };
}

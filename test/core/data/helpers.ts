import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { IngestOptions } from '../../../src/core/data/ingest';
import type { DataConfig } from '../../../src/core/pipeline/config';
import type { SourceLocation } from '../../../src/core/util/problems';

/** Compiled tests live four folders below the repository root (out/test/core/data or similar). */
const REPO = path.resolve(__dirname, '../../../..');
export const DATASETS = path.resolve(REPO, '../shared/datasets');
export const FIXTURES = path.join(REPO, 'test/fixtures/data');

export const PIPELINE = '/work/project/demo.pipeline.yaml';
export const at = (line: number, column = 10): SourceLocation => ({ file: PIPELINE, line, column });

/** Writes `content` (text or exact bytes) to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Ingest options as the pipeline parser would produce them, with overrides. */
export function ingestOptions(
  train: string,
  data: Partial<DataConfig> = {},
  features: { derive?: Record<string, string>; exclude?: string[] } = {},
  label?: string,
): IngestOptions {
  return {
    data: {
      train: { value: train, location: at(3) },
      eval: { split: { fraction: 0.2, seed: 7 } },
      missing: [],
      delimiter: ',',
      maxBadRows: 0,
      ...data,
    },
    features: {
      derive: Object.entries(features.derive ?? {}).map(([name, value], i) => ({ name, expression: { value, location: at(10 + i, 20) } })),
      exclude: (features.exclude ?? []).map((value, i) => ({ value, location: at(20 + i, 14) })),
    },
    label: label === undefined ? undefined : { value: label, location: at(30, 8) },
  };
}

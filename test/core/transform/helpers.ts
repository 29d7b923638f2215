import type { ColumnType, Value } from '../../../src/core/data/cells';
import { ExamplesWriter, openExamples, type ExamplesReader } from '../../../src/core/data/examples';
import type { FeatureTransformSpec, Located, TaskType } from '../../../src/core/pipeline/config';
import type { TransformSettings } from '../../../src/core/transform/plan';
import type { SourceLocation } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';

export const PIPELINE = '/work/project/taxi.pipeline.yaml';
export const at = (line: number, column = 3): SourceLocation => ({ file: PIPELINE, line, column });

export type Columns = Record<string, ColumnType>;

/**
 * An examples artifact from literal rows (values in `columns` order). Row groups of 3 rows, so
 * every analyzer has to merge across row groups.
 */
export async function examplesOf(columns: Columns, splits: { train: Value[][]; eval?: Value[][] }, rowGroupRows = 3): Promise<ExamplesReader> {
  const dir = tempDir('mlops-transform-');
  const writer = new ExamplesWriter(
    dir,
    Object.entries(columns).map(([name, type]) => ({ name, type, source: 'csv' as const })),
    rowGroupRows,
  );
  for (const [split, rows] of Object.entries(splits)) {
    const span = writer.openSpan(split, { name: `${split}.csv`, source: `/data/${split}.csv` });
    for (const row of rows) span.append(row);
    span.close();
  }
  writer.finish();
  return openExamples(dir);
}

/** One column's values as rows of a one-column table. */
export const column = (values: Value[]): Value[][] => values.map((v) => [v]);

/** Transform settings as the pipeline parser produces them; each spec sits on its own line from 20. */
export function settings(
  options: {
    features?: FeatureTransformSpec[];
    label?: string;
    servingExclude?: string[];
    task?: TaskType;
    embeddingDim?: number;
    missing?: string[];
  } = {},
): TransformSettings {
  const features = (options.features ?? []).map((value, i): Located<FeatureTransformSpec> => ({ value, location: at(20 + i) }));
  return {
    file: PIPELINE,
    transform: { features, location: at(19, 1) },
    label: options.label === undefined ? undefined : { value: options.label, location: at(8, 8) },
    environments: options.servingExclude ? { serving: options.servingExclude.map((value, i) => ({ value, location: at(12 + i, 20) })) } : {},
    train: { task: options.task, model: { embeddingDim: options.embeddingDim }, location: at(40, 1) },
    data: { missing: options.missing ?? [], train: { value: '/work/project/data/*.csv', location: at(4, 10) } },
  };
}

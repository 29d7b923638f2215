import type { ColumnType } from '../data/cells';
import type { CategoricalEncoding, FeatureTransformSpec } from '../pipeline/config';
import type { DataSchema } from '../schema/types';
import type { CategoricalSlot } from './types';

/** A feature to fit: a `transform:` entry (drops removed) or a default; `bool` only comes from defaults. */
export type PlannedSpec = Exclude<FeatureTransformSpec, { kind: 'drop' }> | { kind: 'bool'; column: string };

/**
 * What an input column the pipeline does not name becomes: numbers are filled with the mean and
 * z-scored; strings, and ints the data schema marks categorical, go through a vocabulary with one
 * OOV bucket (new values at serving get an id instead of failing); bools become 0/1.
 */
export function defaultSpec(column: string, type: ColumnType, schema?: DataSchema): PlannedSpec {
  switch (type) {
    case 'bool':
      return { kind: 'bool', column };
    case 'string':
      return { kind: 'vocabulary', column, oovBuckets: 1 };
    case 'int':
      if (schema?.features[column]?.categorical) return { kind: 'vocabulary', column, oovBuckets: 1 };
      return { kind: 'numeric', column, fill: 'mean', log: false, scale: 'zscore' };
    case 'float':
      return { kind: 'numeric', column, fill: 'mean', log: false, scale: 'zscore' };
  }
}

/** Up to this many ids a one-hot vector is cheap and exact; above, an embedding. */
export const ONE_HOT_MAX_IDS = 32;

/** The usual rule of thumb for an embedding's width (about 6 · size^¼), capped at 16. */
export function defaultEmbeddingDim(size: number): number {
  return Math.min(16, Math.ceil(6 * size ** 0.25));
}

/** How the model sees a categorical feature: the spec's choice, else one-hot or an embedding by size. */
export function categoricalSlot(
  name: string,
  size: number,
  spec: { encoding?: CategoricalEncoding; embeddingDim?: number },
  modelEmbeddingDim: number | undefined,
): CategoricalSlot {
  const encoding = spec.encoding ?? (size <= ONE_HOT_MAX_IDS ? 'onehot' : 'embedding');
  if (encoding === 'onehot') return { name, size, encoding };
  return { name, size, encoding, embeddingDim: spec.embeddingDim ?? modelEmbeddingDim ?? defaultEmbeddingDim(size) };
}

import type { ColumnBatch, ColumnView } from '../data/examples';
import type { CategoricalEncoding, NumericFill } from '../pipeline/config';
import { NumericSummary, TokenCounts } from './analyzers';
import type { PlannedSpec } from './defaults';
import { signedLog1p } from './row';
import type { FittedFeature, NumericScale } from './types';
import { orderVocabulary } from './vocabulary';

/**
 * One feature's analyzers: `observe` sees every row group of the training split once, `finish`
 * turns what they gathered into the feature's constants. `slot` is assigned by the caller.
 */
export interface FeatureFitter {
  readonly categorical: boolean;
  observe(batch: ColumnBatch, scratch: Float64Array): void;
  /** `ids`: how many ids a categorical feature has and how the spec wants them encoded. */
  finish(slot: number): { feature: FittedFeature; ids?: CategoricalIds };
}

export interface CategoricalIds {
  size: number;
  encoding?: CategoricalEncoding;
  embeddingDim?: number;
}

export function featureFitter(spec: PlannedSpec): FeatureFitter {
  switch (spec.kind) {
    case 'numeric': {
      // The fill comes from the raw values (a constant fill is in the column's units); the scale
      // from the observed values after the log, not the filled ones, so imputed rows do not
      // shrink the variance and, without a log, a mean-filled value z-scores to exactly 0.
      const raw = new NumericSummary(spec.fill === 'median');
      const logged = spec.log ? new NumericSummary(false) : undefined;
      return {
        categorical: false,
        observe(batch, scratch) {
          const n = finiteValues(batch.column(spec.column), scratch);
          raw.add(scratch, n);
          if (logged) {
            for (let i = 0; i < n; i++) scratch[i] = signedLog1p(scratch[i]);
            logged.add(scratch, n);
          }
        },
        finish: (slot) => ({
          feature: {
            kind: 'numeric',
            column: spec.column,
            slot,
            fill: fillValue(spec.fill, raw),
            log: spec.log,
            scale: fittedScale(spec.scale, logged ?? raw),
          },
        }),
      };
    }
    case 'bool': {
      const values = new NumericSummary(false);
      return {
        categorical: false,
        observe: (batch, scratch) => values.add(scratch, finiteValues(batch.column(spec.column), scratch)),
        finish: (slot) => ({ feature: { kind: 'bool', column: spec.column, slot, fill: fillValue('mean', values) } }),
      };
    }
    case 'bucketize': {
      const values = new NumericSummary(true);
      return {
        categorical: true,
        observe: (batch, scratch) => values.add(scratch, finiteValues(batch.column(spec.column), scratch)),
        finish(slot) {
          const boundaries = values.boundaries(spec.buckets);
          return {
            feature: { kind: 'bucketize', column: spec.column, slot, fill: fillValue(spec.fill, values), boundaries },
            ids: ids(spec, boundaries.length + 1),
          };
        },
      };
    }
    case 'vocabulary': {
      const tokens = new TokenCounts();
      return {
        categorical: true,
        observe: (batch) => countTokens(batch.column(spec.column), batch.rows, tokens),
        finish(slot) {
          const vocabulary = orderVocabulary(tokens.counts, spec);
          // At least one id, so a column never seen with a value still gives the model a valid input.
          return {
            feature: { kind: 'vocabulary', column: spec.column, slot, vocabulary, oovBuckets: spec.oovBuckets },
            ids: ids(spec, Math.max(1, vocabulary.length + spec.oovBuckets)),
          };
        },
      };
    }
    case 'hash':
      return {
        categorical: true,
        observe: () => undefined,
        finish: (slot) => ({ feature: { kind: 'hash', column: spec.column, slot, buckets: spec.buckets }, ids: ids(spec, spec.buckets) }),
      };
    case 'cross':
      return {
        categorical: true,
        observe: () => undefined,
        finish: (slot) => ({ feature: { kind: 'cross', name: spec.name, columns: spec.columns, slot, buckets: spec.buckets }, ids: ids(spec, spec.buckets) }),
      };
  }
}

function ids(spec: { encoding?: CategoricalEncoding; embeddingDim?: number }, size: number): CategoricalIds {
  return { size, encoding: spec.encoding, embeddingDim: spec.embeddingDim };
}

/** Copies the column's present, finite values (bools as 0/1) into `scratch`; returns how many. */
function finiteValues(column: ColumnView, scratch: Float64Array): number {
  let n = 0;
  const { valid } = column;
  if (column.type === 'string') throw new Error(`transform: '${column.name}' is a string column, not numeric`);
  const values = column.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (valid[i] && Number.isFinite(v)) scratch[n++] = v;
  }
  return n;
}

/** Counts per row group in a typed array (string codes) or a small map, then once per distinct token. */
function countTokens(column: ColumnView, rows: number, tokens: TokenCounts): void {
  if (column.type === 'string') {
    const perCode = new Int32Array(column.dictionary.length);
    for (let i = 0; i < rows; i++) if (column.codes[i] >= 0) perCode[column.codes[i]]++;
    perCode.forEach((n, code) => n > 0 && tokens.add(column.dictionary[code], n));
    return;
  }
  const perValue = new Map<number, number>();
  for (let i = 0; i < rows; i++) {
    if (!column.valid[i]) continue;
    const v = column.values[i];
    perValue.set(v, (perValue.get(v) ?? 0) + 1);
  }
  const token = (v: number) => (column.type === 'bool' ? String(v === 1) : String(v));
  perValue.forEach((n, v) => tokens.add(token(v), n));
}

/** The value that replaces a missing one; 0 when the column never had a value to average. */
function fillValue(fill: NumericFill, values: NumericSummary): number {
  if (typeof fill === 'number') return fill;
  if (fill === 'zero' || values.count === 0) return 0;
  return fill === 'mean' ? values.mean : values.median();
}

function fittedScale(scale: 'zscore' | 'minmax' | 'none', values: NumericSummary): NumericScale {
  switch (scale) {
    case 'zscore':
      return { type: 'zscore', mean: values.mean, std: values.std };
    case 'minmax':
      return values.count ? { type: 'minmax', min: values.min, max: values.max } : { type: 'minmax', min: 0, max: 0 };
    case 'none':
      return { type: 'none' };
  }
}

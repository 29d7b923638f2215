import type { ExamplesReader } from '../data/examples';
import { TransformedSplitWriter } from './dataset';
import { encodeLabel } from './label';
import { ColumnCursor, transformRow } from './row';
import type { FittedTransform } from './types';

export interface MaterializedSplit {
  split: string;
  /** Rows written. */
  rows: number;
  /** Rows left out because their label is missing, or (eval) a class the training data never had. */
  missingLabel: number;
  unknownLabel: number;
}

/**
 * Applies the fitted transform to every row of one split of the examples and writes the result
 * for the trainer (dataset.ts), a row group at a time. Rows without a usable label are left out
 * and counted: they cannot be trained or evaluated on.
 */
export async function materializeSplit(
  examples: ExamplesReader,
  split: string,
  fitted: FittedTransform,
  outDir: string,
  options: { signal?: AbortSignal; onRows?(rows: number): void } = {},
): Promise<MaterializedSplit> {
  const writer = new TransformedSplitWriter(outDir, split, fitted.layout);
  const result: MaterializedSplit = { split, rows: 0, missingLabel: 0, unknownLabel: 0 };
  const n = fitted.layout.numeric.length;
  const k = fitted.layout.categorical.length;
  const label = fitted.label;
  try {
    for await (const batch of examples.rowGroups(split)) {
      if (options.signal?.aborted) throw options.signal.reason;
      const cursor = new ColumnCursor(fitted, batch);
      const labels = label ? batch.column(label.column) : undefined;
      const target = { numeric: new Float32Array(batch.rows * n), categorical: new Int32Array(batch.rows * k), offset: 0 };
      const y = new Float32Array(batch.rows);
      for (let row = 0; row < batch.rows; row++) {
        cursor.row = row;
        if (label && labels) {
          const value = labels.get(row);
          const encoded = encodeLabel(label, value);
          if (!Number.isFinite(encoded)) {
            if (value === null || (typeof value === 'number' && !Number.isFinite(value))) result.missingLabel++;
            else result.unknownLabel++;
            continue;
          }
          y[target.offset] = encoded;
        } else {
          y[target.offset] = NaN;
        }
        transformRow(fitted, cursor.get, target);
        target.offset++;
      }
      const size = target.offset;
      writer.write({ size, numeric: target.numeric.subarray(0, size * n), categorical: target.categorical.subarray(0, size * k), label: y.subarray(0, size) });
      result.rows += size;
      options.onRows?.(batch.rows);
    }
  } catch (e) {
    writer.abort();
    throw e;
  }
  writer.finish();
  return result;
}

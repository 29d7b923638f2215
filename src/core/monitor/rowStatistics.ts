import type { Value } from '../data/cells';
import { BoolColumn, ColumnBatch, NumberColumn, StringColumn, type ColumnView } from '../data/examples/columns';
import { finishDataset, type FeaturePlan } from '../stats/datasets';
import { rowGroupPartial } from '../stats/rowGroup';
import type { DatasetStatistics } from '../stats/types';

/**
 * Statistics of rows held in memory (a window of served rows, the offline predictions), computed by
 * the stats module's own row-group path, so they carry the same sketches as training statistics and
 * the validation comparators read them alike.
 */
export function rowStatistics(
  head: Pick<DatasetStatistics, 'name' | 'split'>,
  rows: readonly Readonly<Record<string, Value>>[],
  features: readonly FeaturePlan[],
): DatasetStatistics {
  const batch = new ColumnBatch(
    rows.length,
    features.map((f) => columnOf(f, rows)),
  );
  const partial = rowGroupPartial(batch, { categorical: features.filter((f) => f.categoricalInt).map((f) => f.name), slices: [] });
  return finishDataset(head, rows.length, features, partial.features);
}

function columnOf(feature: FeaturePlan, rows: readonly Readonly<Record<string, Value>>[]): ColumnView {
  const n = rows.length;
  const valid = new Uint8Array(n);
  switch (feature.type) {
    case 'int':
    case 'float': {
      const values = new Float64Array(n).fill(NaN);
      rows.forEach((row, i) => {
        const v = row[feature.name];
        if (typeof v === 'number') {
          values[i] = v;
          valid[i] = 1;
        }
      });
      return new NumberColumn(feature.name, feature.type, values, valid);
    }
    case 'bool': {
      const values = new Uint8Array(n);
      rows.forEach((row, i) => {
        const v = row[feature.name];
        if (typeof v === 'boolean') {
          values[i] = v ? 1 : 0;
          valid[i] = 1;
        }
      });
      return new BoolColumn(feature.name, values, valid);
    }
    case 'string': {
      const codes = new Int32Array(n).fill(-1);
      const index = new Map<string, number>();
      rows.forEach((row, i) => {
        const v = row[feature.name];
        if (typeof v !== 'string') return;
        let code = index.get(v);
        if (code === undefined) index.set(v, (code = index.size));
        codes[i] = code;
        valid[i] = 1;
      });
      return new StringColumn(feature.name, codes, [...index.keys()], valid);
    }
  }
}

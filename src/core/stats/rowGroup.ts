import type { ColumnBatch, ColumnView } from '../data/examples/columns';
import { columnPartial, type ColumnContext } from './accumulate/batch';
import type { FeaturePartial } from './accumulate/feature';

/** What a row group contributes: the whole group, and each slice value that occurs in it. */
export interface RowGroupPartial {
  rows: number;
  features: FeaturePartial[];
  slices: SlicePartial[];
}

export interface SlicePartial {
  /** Stable identity across row groups: the slice spec's index and the values. */
  key: string;
  spec: number;
  values: string[];
  rows: number;
  features: FeaturePartial[];
}

export interface RowGroupPlan {
  /** Int features to give categorical statistics too. */
  categorical: readonly string[];
  /** Feature lists to slice by (TFMA slicing specs); [] means the overall dataset and is skipped here. */
  slices: readonly (readonly string[])[];
}

/** Pure: the same batch and plan always give the same partial, in a worker or not. */
export function rowGroupPartial(batch: ColumnBatch, plan: RowGroupPlan): RowGroupPartial {
  const categorical = new Set(plan.categorical);
  const contexts: ColumnContext[] = batch.columns.map((column) => ({ column, categoricalInt: column.type === 'int' && categorical.has(column.name) }));
  const features = contexts.map((ctx) => columnPartial(ctx, null, batch.rows));
  const slices: SlicePartial[] = [];
  plan.slices.forEach((spec, s) => {
    if (spec.length === 0) return;
    for (const group of sliceRows(batch, spec).values()) {
      const rows = Int32Array.from(group.rows);
      slices.push({
        key: JSON.stringify([s, group.values]),
        spec: s,
        values: group.values,
        rows: rows.length,
        features: contexts.map((ctx) => columnPartial(ctx, rows, rows.length)),
      });
    }
  });
  return { rows: batch.rows, features, slices };
}

/** Rows by slice value; rows missing any slicing feature belong to no slice, as in TFMA. */
function sliceRows(batch: ColumnBatch, spec: readonly string[]): Map<string, { values: string[]; rows: number[] }> {
  const columns = spec.map((name) => batch.column(name));
  const groups = new Map<string, { values: string[]; rows: number[] }>();
  const values = new Array<string>(columns.length);
  rows: for (let i = 0; i < batch.rows; i++) {
    for (let c = 0; c < columns.length; c++) {
      const text = cellText(columns[c], i);
      if (text === null) continue rows;
      values[c] = text;
    }
    const key = values.join('\u0000');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { values: values.slice(), rows: [] }));
    group.rows.push(i);
  }
  return groups;
}

function cellText(column: ColumnView, i: number): string | null {
  if (!column.valid[i]) return null;
  switch (column.type) {
    case 'string':
      return column.dictionary[column.codes[i]];
    case 'bool':
      return column.values[i] ? 'true' : 'false';
    default:
      return String(column.values[i]);
  }
}

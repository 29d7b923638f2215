import { closest } from '../util/closest';
import { UserError, type SourceLocation } from '../util/problems';
import type { FeatureValue } from './types';

/** A feature read as group keys: each row's value as text, null when missing (the row joins no group). */
export interface KeyColumn {
  keys: readonly (string | null)[];
  /** Orders two keys for the report. */
  compare(a: string, b: string): number;
}

/** Rows sharing one value of each key column, in ascending row order. */
export interface RowGroup {
  values: string[];
  rows: Int32Array;
}

/** TFMA's slice keys: booleans as true/false, numbers in their shortest form (3, 1.5), null and NaN missing. */
export function valueText(value: FeatureValue): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isNaN(value) ? null : String(value);
  return String(value);
}

/** Numbers numerically (also when they came as text), anything else by code point. */
export function compareValueTexts(a: string, b: string): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

function numeric(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const x = Number(text);
  return Number.isFinite(x) ? x : undefined;
}

export function valueColumn(values: readonly FeatureValue[]): KeyColumn {
  return { keys: values.map(valueText), compare: compareValueTexts };
}

/** Keeps only the listed values; every other row becomes missing for this column. */
export function restrictTo(column: KeyColumn, allowed: readonly string[]): KeyColumn {
  const keep = new Set(allowed);
  return { keys: column.keys.map((k) => (k !== null && keep.has(k) ? k : null)), compare: column.compare };
}

/** The rows grouped by their keys in every column, groups sorted column by column; rows missing any key are left out. */
export function groupRows(columns: readonly KeyColumn[], rowCount: number): RowGroup[] {
  const groups = new Map<string, { values: string[]; rows: number[] }>();
  for (let row = 0; row < rowCount; row++) {
    const values: string[] = [];
    for (const column of columns) {
      const key = column.keys[row];
      if (key === null) break;
      values.push(key);
    }
    if (values.length < columns.length) continue;
    const id = values.join('\u0000');
    const group = groups.get(id);
    if (group) group.rows.push(row);
    else groups.set(id, { values, rows: [row] });
  }
  return [...groups.values()]
    .sort((a, b) => {
      for (let c = 0; c < columns.length; c++) {
        const order = columns[c].compare(a.values[c], b.values[c]);
        if (order !== 0) return order;
      }
      return 0;
    })
    .map((g) => ({ values: g.values, rows: Int32Array.from(g.rows) }));
}

/**
 * The values of a feature a slice or a fairness entry names; a name the evaluated data does not have
 * is the user's mistake, reported at the entry.
 */
export function featureValues(
  features: ReadonlyMap<string, readonly FeatureValue[]>,
  name: string,
  rowCount: number,
  role: 'slice' | 'sensitive',
  location: SourceLocation,
): readonly FeatureValue[] {
  const values = features.get(name);
  if (!values) {
    const available = [...features.keys()];
    const guess = closest(name, available);
    throw UserError.at(
      `${role} feature '${name}' is not in the evaluated data`,
      location,
      `${guess ? `did you mean '${guess}'? ` : ''}available features: ${available.length ? available.join(', ') : '(none)'}`,
    );
  }
  if (values.length !== rowCount) throw new Error(`feature '${name}' has ${values.length} values for ${rowCount} rows`);
  return values;
}

import type { RawRow } from '../transform/types';
import { HttpError } from './http';
import { bodyObject, checkRowCount, describe, rowsFromColumns, type InputSchema } from './inputs';
import { columnRows, instanceRows } from './tfServing';

/**
 * MLflow's scoring server input (`POST /invocations`): exactly one of `dataframe_split`
 * (`{"columns": [...], "data": [[...], ...]}`), `dataframe_records` (row objects), `instances`
 * (row objects) or `inputs` (row objects, or an object of columns).
 */
const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'];

export function mlflowRows(body: unknown, schema: InputSchema, maxRows: number): RawRow[] {
  const o = bodyObject(body, '{"dataframe_records": [{"feature": value, ...}]}');
  const given = Object.keys(o).filter((k) => k !== 'params');
  if (given.length !== 1 || !FORMATS.includes(given[0])) {
    throw new HttpError(
      400,
      `an /invocations request has exactly one of ${FORMATS.map((f) => `"${f}"`).join(', ')}; got ${given.length ? given.map((k) => `"${k}"`).join(', ') : 'none'}`,
    );
  }
  const key = given[0];
  const value = o[key];
  switch (key) {
    case 'dataframe_split':
      return splitRows(value, schema, maxRows);
    case 'inputs':
      return Array.isArray(value) ? instanceRows(value, key, schema, maxRows) : columnRows(value, key, schema, maxRows);
    default:
      return instanceRows(value, key, schema, maxRows);
  }
}

/** pandas' `orient="split"`: column names once, then one list of values per row (`index` is ignored). */
function splitRows(value: unknown, schema: InputSchema, maxRows: number): RawRow[] {
  const split = bodyObject(value, '{"dataframe_split": {"columns": [...], "data": [[...]]}}');
  const { columns, data } = split;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) {
    throw new HttpError(400, `dataframe_split.columns should be a list of feature names, got ${describe(columns)}`);
  }
  if (!Array.isArray(data)) throw new HttpError(400, `dataframe_split.data should be a list of rows (lists of values), got ${describe(data)}`);
  checkRowCount(data.length, maxRows, 'dataframe_split.data');
  const names = columns;
  const byColumn = new Map<string, unknown[]>(names.map((n) => [n, new Array(data.length)]));
  if (byColumn.size !== names.length) throw new HttpError(400, 'dataframe_split.columns names a feature twice');
  data.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== names.length) {
      throw new HttpError(
        400,
        `dataframe_split.data[${i}] should be a list of ${names.length} values (one per column), got ${Array.isArray(row) ? `${row.length} values` : describe(row)}`,
      );
    }
    names.forEach((n, j) => (byColumn.get(n)![i] = row[j]));
  });
  return rowsFromColumns(schema, byColumn, data.length, 'dataframe_split', (name, i) => `dataframe_split.data[${i}].${name}`);
}

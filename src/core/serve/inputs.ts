import { cellType, missingTest, parseBool, type MissingTest } from '../data/cells';
import type { LoadedModel, ModelSignature } from '../model/types';
import type { RawRow } from '../transform/types';
import { closest } from '../util/closest';
import { HttpError } from './http';

type InputType = ModelSignature['inputs'][number]['type'];

/** The raw features a model's requests may carry, from its signature, to check rows against. */
export interface InputSchema {
  types: ReadonlyMap<string, InputType>;
  required: readonly string[];
  isMissing: MissingTest;
}

export function inputSchema(model: Pick<LoadedModel, 'manifest' | 'transform'>): InputSchema {
  const inputs = model.manifest.signature.inputs;
  return {
    types: new Map(inputs.map((i) => [i.name, i.type])),
    required: inputs.filter((i) => i.required).map((i) => i.name),
    isMissing: missingTest(model.transform.missing ?? []),
  };
}

/**
 * Checks one row object against the schema and returns it as the model reads it. A value the
 * model would read differently from what was meant is refused (400) rather than guessed at: a
 * feature it does not know, a value of another type, a required feature missing. Text values are
 * accepted where ingest would parse the same text in a CSV, so a row of CSV cells predicts as
 * `mlops predict` does. `where` names the row in messages (`instances[3]`).
 */
export function checkRow(schema: InputSchema, value: unknown, where: string): RawRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `${where} should be an object of feature → value, got ${describe(value)}`);
  }
  const row = value as Record<string, unknown>;
  for (const name in row) checkFeature(schema, name, row[name], where, () => `${where}.${name}`);
  for (const name of schema.required) {
    if (isAbsent(schema, row[name])) throw new HttpError(400, `${where}: missing required feature '${name}'`);
  }
  return row as RawRow;
}

/**
 * Rows from columns of equal length (TF Serving's columnar `inputs`, MLflow's `dataframe_split`,
 * the tensors of an Open Inference Protocol request), checked like `checkRow`. `field(name, i)`
 * names a value in messages (`inputs.fare[3]`).
 */
export function rowsFromColumns(
  schema: InputSchema,
  columns: ReadonlyMap<string, readonly unknown[]>,
  rows: number,
  where: string,
  field: (name: string, row: number) => string,
): RawRow[] {
  for (const [name, values] of columns) {
    for (let i = 0; i < rows; i++) checkFeature(schema, name, values[i], where, () => field(name, i));
  }
  for (const name of schema.required) {
    const values = columns.get(name);
    if (!values) throw new HttpError(400, `${where}: missing required feature '${name}'`);
    for (let i = 0; i < rows; i++) if (isAbsent(schema, values[i])) throw new HttpError(400, `${field(name, i)}: missing required feature '${name}'`);
  }
  const names = [...columns.keys()];
  const out: RawRow[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row: Record<string, unknown> = {};
    for (const name of names) {
      const v = columns.get(name)![i];
      if (v !== undefined) row[name] = v;
    }
    out[i] = row as RawRow;
  }
  return out;
}

function isAbsent(schema: InputSchema, v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && schema.isMissing(v));
}

/** Refuses a feature the model does not read, or a value of another type; `field` names the value in the message. */
function checkFeature(schema: InputSchema, name: string, value: unknown, where: string, field: () => string): void {
  const type = schema.types.get(name);
  if (type === undefined) throw unknownFeature(schema, name, where);
  checkValue(schema, type, value, field);
}

export function unknownFeature(schema: InputSchema, name: string, where: string): HttpError {
  const guess = closest(name, schema.types.keys());
  const known = [...schema.types.keys()];
  return new HttpError(400, `${where}: unknown feature '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}; the model reads ${known.join(', ')}`);
}

function checkValue(schema: InputSchema, type: InputType, v: unknown, field: () => string): void {
  if (v === null || v === undefined) return;
  switch (typeof v) {
    // As TF Serving: a number for a string input, a fraction or an unsafe integer for an int64 one is refused,
    // not rounded or stringified into a different prediction.
    case 'number':
      if (type === 'string' || (type === 'bool' && v !== 0 && v !== 1) || (type === 'int' && !Number.isSafeInteger(v))) throw wrongType(field, type, v);
      return;
    case 'boolean':
      if (type !== 'bool') throw wrongType(field, type, v);
      return;
    case 'string': {
      if (type === 'string' || schema.isMissing(v)) return;
      const text = v.trim();
      const valid = type === 'bool' ? parseBool(text) !== null : type === 'int' ? isIntegerText(text) : isNumberText(text);
      if (!valid) throw wrongType(field, type, v);
      return;
    }
    default:
      throw wrongType(field, type, v);
  }
}

function isIntegerText(text: string): boolean {
  return cellType(text) === 'int' && Number.isSafeInteger(Number(text));
}

function isNumberText(text: string): boolean {
  const t = cellType(text);
  return t === 'int' || t === 'float';
}

function wrongType(field: () => string, type: InputType, v: unknown): HttpError {
  const expected = type === 'bool' ? 'true or false' : type === 'string' ? 'a string' : type === 'int' ? 'an integer' : 'a number';
  return new HttpError(400, `${field()}: expected ${expected} (${type === 'int' ? 'an int' : `a ${type}`} feature), got ${describe(v)}`);
}

export function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A request carries at least one row and at most the server's limit. */
export function checkRowCount(rows: number, maxRows: number, where: string): void {
  if (rows === 0) throw new HttpError(400, `${where} holds no rows: send at least one`);
  if (rows > maxRows) throw new HttpError(413, `${where} holds ${rows} rows, more than the limit of ${maxRows} per request: split it into several requests`);
}

/** The body as a JSON object (not an array, string or null). */
export function bodyObject(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `the body should be a JSON object like ${example}, got ${describe(body)}`);
  }
  return body as Record<string, unknown>;
}

/** Columns given as an object of feature → list of values, all of one length. */
export function columnsOf(value: unknown, where: string): { columns: Map<string, unknown[]>; rows: number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, `${where} should be an object of feature → list of values, got ${describe(value)}`);
  }
  const columns = new Map<string, unknown[]>();
  let rows = -1;
  for (const [name, values] of Object.entries(value)) {
    if (!Array.isArray(values)) throw new HttpError(400, `${where}.${name} should be a list of values, got ${describe(values)}`);
    if (rows >= 0 && values.length !== rows) {
      throw new HttpError(400, `${where}.${name} has ${values.length} values but ${[...columns.keys()][0]} has ${rows}: every column needs one value per row`);
    }
    rows = values.length;
    columns.set(name, values);
  }
  return { columns, rows: Math.max(rows, 0) };
}

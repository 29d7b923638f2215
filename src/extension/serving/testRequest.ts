import { cellType, parseBool, parseNumber } from '../../core/data/cells';
import type { ModelSignature } from '../../core/model/types';
import { array, bool, isRecord, literal, object, optional, record, str } from '../../shared/schema';
import type { CsvRow } from './csvRows';

/**
 * Send Test Request, the pure parts: the model's inputs from its metadata, CSV cells as the typed
 * values a request carries, and the document that shows what was sent and what came back.
 */

export type ModelInput = ModelSignature['inputs'][number];
type InputType = ModelInput['type'];
export type RequestValue = string | number | boolean;

const DTYPE_TYPES: Record<string, InputType> = {
  DT_INT64: 'int',
  DT_INT32: 'int',
  DT_DOUBLE: 'float',
  DT_FLOAT: 'float',
  DT_BOOL: 'bool',
  DT_STRING: 'string',
};

/**
 * The raw inputs from `GET /v1/models/{model}/metadata`: the package's own signature (`metadata.mlops`),
 * else TF Serving's `signature_def` with types from the dtypes. Undefined when it holds neither.
 */
export function signatureInputs(metadata: unknown): ModelInput[] | undefined {
  const meta = isRecord(metadata) && isRecord(metadata.metadata) ? metadata.metadata : undefined;
  if (isOwnSignature(meta?.mlops)) return meta.mlops.signature.inputs.map(({ name, type, required }) => ({ name, type, required }));
  if (!isServingSignature(meta?.signature_def)) return undefined;
  return Object.entries(meta.signature_def.signature_def.serving_default.inputs).map(([name, info]) => ({
    name,
    type: (info.dtype !== undefined && DTYPE_TYPES[info.dtype]) || 'string',
    required: false,
  }));
}

const isOwnSignature = object({ signature: object({ inputs: array(object({ name: str, type: literal('int', 'float', 'bool', 'string'), required: bool })) }) });
const isServingSignature = object({ signature_def: object({ serving_default: object({ inputs: record(object({ dtype: optional(str) })) }) }) });

/**
 * A cell as the request value for an input of `type`: numbers and booleans typed; the empty cell
 * left out (undefined). A cell that does not fit its type is sent as written, so the server's
 * answer names the row and the field, as it would for any client.
 */
export function cellValue(type: InputType, text: string): RequestValue | undefined {
  if (text.length === 0) return undefined;
  switch (type) {
    case 'int':
    case 'float': {
      const t = cellType(text.trim());
      return t === 'int' || t === 'float' ? parseNumber(text.trim()) : text;
    }
    case 'bool':
      return parseBool(text.trim()) ?? text;
    case 'string':
      return text;
  }
}

export interface TestInstances {
  instances: Record<string, RequestValue>[];
  /** CSV columns the model does not read (not sent). */
  notSent: string[];
  /** Inputs the CSV lacks. */
  absent: string[];
}

/** One instance per CSV row, with only the model's inputs. */
export function buildInstances(columns: readonly string[], rows: readonly CsvRow[], inputs: readonly ModelInput[]): TestInstances {
  const types = new Map(inputs.map((i) => [i.name, i.type]));
  const sent = columns.map((c, i) => [c, i] as const).filter(([c]) => types.has(c));
  const instances = rows.map((r) => {
    const instance: Record<string, RequestValue> = {};
    for (const [name, i] of sent) {
      const v = cellValue(types.get(name)!, r.fields[i] ?? '');
      if (v !== undefined) instance[name] = v;
    }
    return instance;
  });
  return {
    instances,
    notSent: columns.filter((c) => !types.has(c)),
    absent: inputs.map((i) => i.name).filter((n) => !columns.includes(n)),
  };
}

const DESCRIPTION_CELLS = 4;
const CELL_CHARS = 24;

/** A row for the quick pick: "fare=12.5 · payment_type=Cash · …". */
export function rowDescription(columns: readonly string[], fields: readonly string[]): string {
  const cells = columns.slice(0, DESCRIPTION_CELLS).map((c, i) => {
    const v = fields[i] ?? '';
    return `${c}=${v.length > CELL_CHARS ? `${v.slice(0, CELL_CHARS - 1)}…` : v}`;
  });
  return cells.join(' · ') + (columns.length > DESCRIPTION_CELLS ? ' · …' : '');
}

/** The CSV row a server message blames (`instances[2].fare: …` → the third row sent). */
export function blamedRow(message: string, rows: readonly number[]): number | undefined {
  const m = /instances\[(\d+)\]/.exec(message);
  return m ? rows[Number(m[1])] : undefined;
}

/** A label cell as a value to compare a prediction with: a number when it reads as one. */
export function expectedValue(text: string | undefined): RequestValue | null {
  if (text === undefined || text.length === 0) return null;
  const t = cellType(text.trim());
  if (t === 'int' || t === 'float') return parseNumber(text.trim());
  return parseBool(text.trim()) ?? text;
}

export interface TestRequestOutcome {
  url: string;
  csv: string;
  rows: number[];
  notSent: string[];
  body: { instances: Record<string, RequestValue>[] };
  /** null when no answer came (connection refused). */
  status: number | null;
  latencyMs: number | null;
  response: unknown;
  /** Why it failed: the server's error, or the connection's. */
  error: string | null;
  /** The label column, when the CSV has it: its cell per row sent. */
  label?: { column: string; values: (RequestValue | null)[] };
}

/** What the result document shows, in reading order: what was asked, then per row what came back. */
export function testRequestDocument(o: TestRequestOutcome): Record<string, unknown> {
  const predictions = isRecord(o.response) && Array.isArray(o.response.predictions) ? o.response.predictions : undefined;
  const doc: Record<string, unknown> = {
    url: o.url,
    status: o.status,
    latencyMs: o.latencyMs === null ? null : Math.round(o.latencyMs * 10) / 10,
    csv: o.csv,
    rows: o.rows,
    columnsNotSent: o.notSent,
  };
  if (o.label) doc.labelColumn = o.label.column;
  if (o.error !== null) doc.error = o.error;
  if (predictions) {
    doc.results = o.rows.map((row, i) => ({
      row,
      prediction: predictions[i],
      ...(o.label ? { expected: o.label.values[i] } : {}),
    }));
  }
  doc.request = o.body;
  doc.response = o.response;
  return doc;
}

import { cellType, missingTest, parseBool, parseNumber, type ColumnType, type MissingTest, type Value } from '../data/cells';
import type { ColumnBatch, ColumnView } from '../data/examples';
import { UserError } from '../util/problems';
import { CROSS_SEPARATOR, fnv1a32, tokenOf } from './hash';
import { derivedEvaluator } from './derived';
import { encodeLabel } from './label';
import { bucketOf } from './quantiles';
import type { FittedFeature, FittedTransform, RawRow, TransformedBatch, TransformedRowTarget } from './types';

/** The value of input `i` (an index into `fitted.inputs`) of the row being transformed; null is missing. */
export type InputAccessor = (input: number) => Value;

/**
 * THE row transform: writes one example's model inputs into `target` at row `target.offset`.
 * Training data (through a ColumnCursor over the examples), evaluation and serving (through
 * rawRowAccessor) all call this one function, so a served row gets exactly the numbers it would
 * have got in training.
 *
 * Numbers: a missing or non-finite value takes the fitted fill; `log` is ln(1 + x), extended
 * to negative x as -ln(1 - x) so it is defined everywhere; then the scale. Categorical ids: -1
 * when the value (or, for a cross, any crossed value) is missing.
 */
export function transformRow(fitted: FittedTransform, get: InputAccessor, target: TransformedRowTarget): void {
  const program = compiled(fitted);
  const numericAt = target.offset * program.numericWidth;
  const categoricalAt = target.offset * program.categoricalWidth;
  for (const step of program.steps) step(get, target.numeric, target.categorical, numericAt, categoricalAt);
}

/** Transforms raw rows as serving receives them; `label` is NaN where a row has no (known) label. */
export function transformRows(fitted: FittedTransform, rows: readonly RawRow[]): TransformedBatch {
  const program = compiled(fitted);
  const size = rows.length;
  const batch: TransformedBatch = {
    size,
    numeric: new Float32Array(size * program.numericWidth),
    categorical: new Int32Array(size * program.categoricalWidth),
    label: new Float32Array(size).fill(NaN),
  };
  const label = fitted.label;
  for (let r = 0; r < size; r++) {
    const read = rawRowReader(fitted, rows[r]);
    const inputs = fitted.inputs;
    transformRow(fitted, (i) => read(inputs[i].name, inputs[i].type), { numeric: batch.numeric, categorical: batch.categorical, offset: r });
    if (label) batch.label[r] = encodeLabel(label, read(label.column, label.type));
  }
  return batch;
}

/** Reads the fitted inputs from a raw row, parsing text as ingest parses a CSV cell. */
export function rawRowAccessor(fitted: FittedTransform, row: RawRow): InputAccessor {
  const read = rawRowReader(fitted, row);
  const inputs = fitted.inputs;
  return (i) => read(inputs[i].name, inputs[i].type);
}

/**
 * Reads columns of a raw row by name: raw columns parsed as ingest parses a cell, derived columns
 * computed from them with the pipeline's expressions (a value the request sends for a derived
 * column is ignored, as ingest would compute it; unless its sources are absent, see derivedEvaluator).
 */
function rawRowReader(fitted: FittedTransform, row: RawRow): (name: string, type: ColumnType | undefined) => Value {
  const { isMissing, derive } = compiled(fitted);
  const raw = (name: string, type: ColumnType | undefined) => rawValue(name, type, row[name], isMissing);
  const derived = derive ? derive(raw, (name) => row[name] !== undefined) : undefined;
  return (name, type) => (derived?.has(name) ? derived.get(name)! : raw(name, type));
}

/** Reads the fitted inputs from a batch of examples: set `row`, then call `get`. */
export class ColumnCursor {
  row = 0;
  readonly get: InputAccessor;

  constructor(fitted: FittedTransform, batch: ColumnBatch) {
    const views: ColumnView[] = fitted.inputs.map((input) => batch.column(input.name));
    this.get = (i) => views[i].get(this.row);
  }
}

/**
 * A raw value as the column's type: null/undefined and the missing markers are missing; numbers
 * and bools in text are parsed as ingest parses a cell (surrounding spaces ignored); a value the
 * type cannot hold is the caller's mistake (a UserError, HTTP 400 at serving).
 */
export function rawValue(column: string, type: ColumnType | undefined, raw: RawRow[string], isMissing: MissingTest): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') {
    if (isMissing(raw)) return null;
    if (type === 'string' || type === undefined) return raw;
    const text = raw.trim();
    if (type === 'bool') return parseBool(text) ?? invalid(column, type, raw);
    const parsed = cellType(text);
    return parsed === 'int' || parsed === 'float' ? parseNumber(text) : invalid(column, type, raw);
  }
  if (type === 'string') return String(raw);
  if (type === 'bool') return typeof raw === 'boolean' ? raw : raw === 1 ? true : raw === 0 ? false : invalid(column, type, raw);
  return typeof raw === 'number' ? raw : Number(raw);
}

function invalid(column: string, type: ColumnType, raw: unknown): never {
  throw UserError.at(
    `'${column}' is ${type === 'int' ? 'an' : 'a'} ${type} column; ${JSON.stringify(raw)} is not ${type === 'bool' ? 'true or false' : 'a number'}`,
  );
}

type Step = (get: InputAccessor, numeric: Float32Array, categorical: Int32Array, numericAt: number, categoricalAt: number) => void;

interface Program {
  steps: Step[];
  numericWidth: number;
  categoricalWidth: number;
  isMissing: MissingTest;
  /** Computes the derived columns of a raw row; undefined when the pipeline derives none. */
  derive?: ReturnType<typeof derivedEvaluator>;
}

const programs = new WeakMap<FittedTransform, Program>();

/** The fitted transform turned into one closure per feature, once per FittedTransform object. */
function compiled(fitted: FittedTransform): Program {
  let program = programs.get(fitted);
  if (!program) {
    const inputIndex = new Map(fitted.inputs.map((input, i) => [input.name, i]));
    const indexOf = (column: string) => {
      const i = inputIndex.get(column);
      if (i === undefined) throw new Error(`transform: feature reads '${column}', which is not among its inputs`);
      return i;
    };
    program = {
      steps: fitted.features.map((f) => compileFeature(f, indexOf)),
      numericWidth: fitted.layout.numeric.length,
      categoricalWidth: fitted.layout.categorical.length,
      isMissing: missingTest(fitted.missing ?? []),
      derive: fitted.derived?.length ? derivedEvaluator(fitted) : undefined,
    };
    programs.set(fitted, program);
  }
  return program;
}

function compileFeature(f: FittedFeature, indexOf: (column: string) => number): Step {
  switch (f.kind) {
    case 'numeric': {
      const input = indexOf(f.column);
      const scale = scaler(f.scale);
      const { fill, log, slot } = f;
      return (get, numeric, _c, at) => {
        let x = numberOf(get(input));
        if (!Number.isFinite(x)) x = fill;
        numeric[at + slot] = scale(log ? signedLog1p(x) : x);
      };
    }
    case 'bool': {
      const input = indexOf(f.column);
      const { fill, slot } = f;
      return (get, numeric, _c, at) => {
        const x = numberOf(get(input));
        numeric[at + slot] = Number.isFinite(x) ? x : fill;
      };
    }
    case 'bucketize': {
      const input = indexOf(f.column);
      const { fill, boundaries, slot } = f;
      return (get, _n, categorical, _a, at) => {
        const x = numberOf(get(input));
        categorical[at + slot] = bucketOf(boundaries, Number.isFinite(x) ? x : fill);
      };
    }
    case 'vocabulary': {
      const input = indexOf(f.column);
      const ids = new Map(f.vocabulary.map((token, i) => [token, i]));
      const { oovBuckets, slot } = f;
      const size = f.vocabulary.length;
      return (get, _n, categorical, _a, at) => {
        const token = tokenOf(get(input));
        if (token === null) categorical[at + slot] = -1;
        else categorical[at + slot] = ids.get(token) ?? (oovBuckets > 0 ? size + (fnv1a32(token) % oovBuckets) : -1);
      };
    }
    case 'hash': {
      const input = indexOf(f.column);
      const { buckets, slot } = f;
      return (get, _n, categorical, _a, at) => {
        const token = tokenOf(get(input));
        categorical[at + slot] = token === null ? -1 : fnv1a32(token) % buckets;
      };
    }
    case 'cross': {
      const inputs = f.columns.map(indexOf);
      const { buckets, slot } = f;
      return (get, _n, categorical, _a, at) => {
        let key = '';
        for (let j = 0; j < inputs.length; j++) {
          const token = tokenOf(get(inputs[j]));
          if (token === null) {
            categorical[at + slot] = -1;
            return;
          }
          key = j === 0 ? token : key + CROSS_SEPARATOR + token;
        }
        categorical[at + slot] = fnv1a32(key) % buckets;
      };
    }
  }
}

function scaler(scale: Extract<FittedFeature, { kind: 'numeric' }>['scale']): (x: number) => number {
  switch (scale.type) {
    case 'zscore': {
      const { mean, std } = scale;
      // TFT: with no spread, centre only.
      return std > 0 ? (x) => (x - mean) / std : (x) => x - mean;
    }
    case 'minmax': {
      const { min, max } = scale;
      const range = max - min;
      return range > 0 ? (x) => (x - min) / range : () => 0;
    }
    case 'none':
      return (x) => x;
  }
}

/** A number from a typed value: bools are 0/1; missing and text are NaN (then filled). */
function numberOf(value: Value): number {
  return typeof value === 'number' ? value : typeof value === 'boolean' ? (value ? 1 : 0) : NaN;
}

/** ln(1 + x) for x >= 0, mirrored for negative x so no value becomes NaN. */
export function signedLog1p(x: number): number {
  return x < 0 ? -Math.log1p(-x) : Math.log1p(x);
}

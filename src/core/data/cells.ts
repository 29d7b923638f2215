/**
 * What a CSV cell means: missing, a number, a bool or text. Shared by type inference (pass 1) and
 * conversion (pass 2) so both passes agree on every cell.
 */

/** Column types of the examples artifact: TFDV's integer / float / string, plus bool (true/false strings). */
export type ColumnType = 'int' | 'float' | 'bool' | 'string';

/** A cell after conversion; null is missing. */
export type Value = number | string | boolean | null;

export type MissingTest = (text: string) => boolean;

/**
 * The empty cell plus the configured markers. Built as a closure because it runs on every cell of
 * both passes: a Set lookup hashes each freshly sliced string, and that alone was a fifth of the
 * ingest time in profiles, while one or two markers compare for free.
 */
export function missingTest(markers: readonly string[]): MissingTest {
  const set = new Set(markers.filter((m) => m.length > 0));
  const [only] = set;
  if (set.size === 0) return (text) => text.length === 0;
  if (set.size === 1) return (text) => text.length === 0 || text === only;
  const longest = Math.max(...[...set].map((m) => m.length));
  return (text) => text.length === 0 || (text.length <= longest && set.has(text));
}

/**
 * The narrowest type that can hold `text`. Hand-written rather than a regex because it runs on
 * every cell of pass 1; it accepts what `Number()` accepts in decimal form (no hex, no `_`), plus
 * the inf/nan spellings other tools write, which TFDV counts apart but stores as floats.
 */
export function cellType(text: string): ColumnType {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 43 || c === 45) c = text.charCodeAt(++i); // + -
  const digitsStart = i;
  while (c >= 48 && c <= 57) c = text.charCodeAt(++i);
  const intDigits = i - digitsStart;
  if (i === n) return intDigits > 0 ? 'int' : 'string';
  let fracDigits = 0;
  if (c === 46) {
    c = text.charCodeAt(++i);
    const fracStart = i;
    while (c >= 48 && c <= 57) c = text.charCodeAt(++i);
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0) return specialFloat(text, digitsStart) ? 'float' : boolOrString(text);
  if (c === 101 || c === 69) {
    c = text.charCodeAt(++i);
    if (c === 43 || c === 45) c = text.charCodeAt(++i);
    const expStart = i;
    while (c >= 48 && c <= 57) c = text.charCodeAt(++i);
    if (i === expStart) return 'string';
  }
  return i === n ? 'float' : 'string';
}

const SPECIAL_FLOATS = new Map([
  ['inf', Infinity],
  ['infinity', Infinity],
  ['nan', NaN],
]);

function specialFloat(text: string, from: number): boolean {
  return text.length - from <= 8 && SPECIAL_FLOATS.has(text.slice(from).toLowerCase());
}

function boolOrString(text: string): ColumnType {
  return parseBool(text) === null ? 'string' : 'bool';
}

/** The type a column has after seeing a value of type `b`: int widens to float, any other mix to string. */
export function widen(a: ColumnType | undefined, b: ColumnType): ColumnType {
  if (a === undefined || a === b) return b;
  if ((a === 'int' && b === 'float') || (a === 'float' && b === 'int')) return 'float';
  return 'string';
}

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * Parses a cell already known to be int or float (see cellType). Plain decimals of up to 15 digits
 * take Clinger's fast path: the digits and the power of ten are both exact doubles, so one
 * division rounds correctly and gives exactly what Number() gives, at a fraction of its cost.
 */
export function parseNumber(text: string): number {
  const n = text.length;
  if (n <= 17) {
    let i = 0;
    let c = text.charCodeAt(0);
    const negative = c === 45;
    if (negative || c === 43) i = 1;
    let mantissa = 0;
    let digits = 0;
    let dot = -1;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
      } else if (c === 46 && dot < 0) {
        dot = i;
      } else {
        break;
      }
    }
    if (i === n && digits > 0 && digits <= 15) {
      const value = mantissa / POW10[dot < 0 ? 0 : n - dot - 1];
      return negative ? -value : value;
    }
  }
  const v = Number(text);
  if (!Number.isNaN(v)) return v;
  const sign = text.charCodeAt(0) === 45 ? -1 : 1;
  const start = text.charCodeAt(0) === 43 || sign < 0 ? 1 : 0;
  return sign * (SPECIAL_FLOATS.get(text.slice(start).toLowerCase()) ?? NaN);
}

export function parseBool(text: string): boolean | null {
  if (text.length !== 4 && text.length !== 5) return null;
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}

/** Converts a cell to a value of the column's type; cells are assumed to fit (pass 1 saw them all). */
export function cellConverter(type: ColumnType, isMissing: MissingTest): (text: string) => Value {
  switch (type) {
    case 'int':
    case 'float':
      return (text) => (isMissing(text) ? null : parseNumber(text));
    case 'bool':
      return (text) => (isMissing(text) ? null : parseBool(text));
    case 'string':
      return (text) => (isMissing(text) ? null : text);
  }
}

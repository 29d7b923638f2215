/**
 * Cell classification and number parsing straight from bytes: the rules of `cellType` and
 * `parseNumber` in data/cells.ts (same types, same values, same inf/nan spellings), without
 * making a string per cell. Strings are made only for the rare cells the fast path cannot take
 * (more than 15 digits, exponents), and those go through Number() as the ingest does.
 */

export const enum Kind {
  None = 0,
  Int = 1,
  Float = 2,
  Bool = 3,
  String = 4,
}

/** The value of the last cell `classify` found to be a number or a bool (1/0). */
export let parsed = 0;

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

export function classify(bytes: Uint8Array, s: number, e: number): Kind {
  let i = s;
  let c = bytes[i];
  let negative = false;
  if (c === 43 || c === 45) {
    negative = c === 45;
    c = bytes[++i];
  }
  const digitsStart = i;
  let mantissa = 0;
  while (i < e && c >= 48 && c <= 57) {
    mantissa = mantissa * 10 + (c - 48);
    c = bytes[++i];
  }
  const intDigits = i - digitsStart;
  if (i === e) {
    if (intDigits === 0) return Kind.String;
    parsed = intDigits <= 15 ? (negative ? -mantissa : mantissa) : slowNumber(bytes, s, e);
    return Kind.Int;
  }
  let fracDigits = 0;
  if (c === 46) {
    c = bytes[++i];
    const fracStart = i;
    while (i < e && c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      c = bytes[++i];
    }
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0) return special(bytes, s, digitsStart, e, negative);
  if (c === 101 || c === 69) {
    c = bytes[++i];
    if (c === 43 || c === 45) c = bytes[++i];
    const expStart = i;
    while (i < e && c >= 48 && c <= 57) c = bytes[++i];
    if (i === expStart || i !== e) return Kind.String;
    parsed = slowNumber(bytes, s, e);
    return Kind.Float;
  }
  if (i !== e) return Kind.String;
  if (intDigits + fracDigits <= 15) {
    const value = mantissa / POW10[fracDigits];
    parsed = negative ? -value : value;
  } else parsed = slowNumber(bytes, s, e);
  return Kind.Float;
}

function slowNumber(bytes: Uint8Array, s: number, e: number): number {
  return Number(latin1(bytes, s, e));
}

function latin1(bytes: Uint8Array, s: number, e: number): string {
  return String.fromCharCode.apply(null, Array.from(bytes.subarray(s, e)));
}

/** inf, infinity, nan (any case, optional sign) are floats; true/false (any case, no sign) are bools. */
function special(bytes: Uint8Array, s: number, from: number, e: number, negative: boolean): Kind {
  const n = e - from;
  if (n === 3 || n === 8) {
    const word = latin1(bytes, from, e).toLowerCase();
    if (word === 'inf' || word === 'infinity') {
      parsed = negative ? -Infinity : Infinity;
      return Kind.Float;
    }
    if (word === 'nan') {
      parsed = NaN;
      return Kind.Float;
    }
  }
  const length = e - s;
  if (length === 4 && lower(bytes, s, 't', 'r', 'u', 'e')) {
    parsed = 1;
    return Kind.Bool;
  }
  if (length === 5 && lower(bytes, s, 'f', 'a', 'l', 's', 'e')) {
    parsed = 0;
    return Kind.Bool;
  }
  return Kind.String;
}

function lower(bytes: Uint8Array, s: number, ...letters: string[]): boolean {
  for (let i = 0; i < letters.length; i++) if ((bytes[s + i] | 0x20) !== letters[i].charCodeAt(0)) return false;
  return true;
}

/** The column's type after a cell of kind `b`: int and float widen to float, any other mix to string. */
export function widenKind(a: Kind, b: Kind): Kind {
  if (a === Kind.None || a === b) return b;
  if ((a === Kind.Int && b === Kind.Float) || (a === Kind.Float && b === Kind.Int)) return Kind.Float;
  return Kind.String;
}

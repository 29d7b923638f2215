import { isAscii, isUtf8 } from 'buffer';
import type { ColumnType } from '../../data/cells';
import { categoricalOfBools, categoricalOfCounts, type CategoricalPartial } from '../accumulate/categorical';
import type { FeaturePartial } from '../accumulate/feature';
import { numericOfValues } from '../accumulate/numeric';
import { hash53, hashBytes, hashHi, hashLo, hashString } from '../hash';
import { classify, Kind, parsed, widenKind } from './cellBytes';
import type { FieldTable } from './records';

/**
 * Statistics of one block of CSV records, column by column. A column's type within the block is
 * found first (classifying and parsing every cell into a Float64Array in the same loop), then the
 * column is summarised as numbers or as text. A column that turns out to be text mid-block is simply
 * re-read as text from the block's first row: the block is in memory, so type inference costs no
 * second read of the file.
 */
export interface BlockColumns {
  /** For each reference column, its field in this file's records; -1 when the file lacks it. */
  fieldOf: readonly number[];
  fields: number;
  /** Int columns that also get categorical statistics. */
  categoricalInt: readonly boolean[];
  /** Columns known (from other blocks) to be text: skip the number parsing. */
  forceString: readonly boolean[];
  /** Missing-value markers besides the empty cell, as bytes. */
  missing: readonly Uint8Array[];
}

const KIND_TYPE: (ColumnType | undefined)[] = [undefined, 'int', 'float', 'bool', 'string'];

export function blockFeatures(bytes: Uint8Array, table: FieldTable, columns: BlockColumns): FeaturePartial[] {
  const rows = table.rows;
  const values = new Float64Array(rows);
  const valid = new Uint8Array(rows);
  const ascii = isAscii(bytes);
  return columns.fieldOf.map((field, c) => {
    if (field < 0) return { type: undefined, present: 0, missing: rows };
    let kind = Kind.None;
    let present = 0;
    const { starts, ends, escaped } = table;
    const stride = columns.fields;
    const force = columns.forceString[c];
    for (let r = 0, at = field; r < rows; r++, at += stride) {
      const s = starts[at];
      const e = ends[at];
      if (isMissing(bytes, s, e, columns.missing)) {
        valid[r] = 0;
        continue;
      }
      valid[r] = 1;
      present++;
      if (kind === Kind.String) continue;
      const cell = force || escaped[at] ? Kind.String : classify(bytes, s, e);
      kind = widenKind(kind, cell);
      values[r] = parsed;
    }
    const type = KIND_TYPE[kind];
    const base = { type, present, missing: rows - present };
    if (kind === Kind.None) return base;
    if (kind === Kind.String) return { ...base, categorical: textColumn(bytes, table, field, stride, valid, ascii) };
    const numeric = numericOfValues(values, valid, null, rows);
    if (kind === Kind.Bool) return { ...base, numeric, categorical: categoricalOfBools(numeric.zeros, numeric.count - numeric.zeros) };
    const categorical = kind === Kind.Int && columns.categoricalInt[c] ? textColumn(bytes, table, field, stride, valid, ascii) : undefined;
    return { ...base, numeric, categorical };
  });
}

function isMissing(bytes: Uint8Array, s: number, e: number, markers: readonly Uint8Array[]): boolean {
  if (s === e) return true;
  for (const marker of markers) {
    if (marker.length !== e - s) continue;
    let same = true;
    for (let i = 0; i < marker.length && same; i++) same = bytes[s + i] === marker[i];
    if (same) return true;
  }
  return false;
}

/**
 * Exact counts of the block's distinct values in an open-addressing table keyed by the two hash
 * lanes (no string per cell), then a Misra-Gries summary that materialises strings only for the
 * values it keeps.
 */
function textColumn(bytes: Uint8Array, table: FieldTable, field: number, stride: number, valid: Uint8Array, ascii: boolean): CategoricalPartial {
  const { starts, ends, escaped, rows } = table;
  let size = 0;
  // Sized for the block's rows, up to 512 values: a very wide file has many columns of few rows each.
  const initial = Math.min(512, 2 ** Math.ceil(Math.log2(Math.max(8, rows))));
  let mask = initial * 2 - 1;
  let slots = new Int32Array(mask + 1).fill(-1);
  let his = new Int32Array(initial);
  let los = new Int32Array(initial);
  let counts = new Float64Array(initial);
  let firstRow = new Int32Array(initial);
  let unescaped: Map<number, string> | undefined;
  let totalBytes = 0;
  for (let r = 0, at = field; r < rows; r++, at += stride) {
    if (!valid[r]) continue;
    const s = starts[at];
    const e = ends[at];
    if (escaped[at]) {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset + s, e - s)
        .toString('utf8')
        .replaceAll('""', '"');
      hashString(text);
      totalBytes += Buffer.byteLength(text);
      (unescaped ??= new Map()).set(r, text);
    } else {
      hashBytes(bytes, s, e);
      totalBytes += e - s;
    }
    const hi = hashHi | 0;
    const lo = hashLo | 0;
    let slot = hi & mask;
    for (;;) {
      const id = slots[slot];
      if (id < 0) {
        if (size === his.length) {
          his = growInt(his);
          los = growInt(los);
          firstRow = growInt(firstRow);
          const bigger = new Float64Array(size * 2);
          bigger.set(counts);
          counts = bigger;
        }
        his[size] = hi;
        los[size] = lo;
        counts[size] = 1;
        firstRow[size] = r;
        slots[slot] = size++;
        if (size * 2 > mask) {
          mask = mask * 2 + 1;
          slots = new Int32Array(mask + 1).fill(-1);
          for (let i = 0; i < size; i++) {
            let t = his[i] & mask;
            while (slots[t] >= 0) t = (t + 1) & mask;
            slots[t] = i;
          }
        }
        break;
      }
      if (his[id] === hi && los[id] === lo) {
        counts[id]++;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const hashes = new Float64Array(size);
  for (let i = 0; i < size; i++) hashes[i] = hash53(his[i] >>> 0, los[i] >>> 0);
  const cell = (i: number) => firstRow[i] * stride + field;
  const valueOf = (i: number) =>
    unescaped?.get(firstRow[i]) ??
    Buffer.from(bytes.buffer, bytes.byteOffset + starts[cell(i)], ends[cell(i)] - starts[cell(i)]).toString(ascii ? 'latin1' : 'utf8');
  let invalid = 0;
  if (!ascii) {
    for (let i = 0; i < size; i++) {
      const at = cell(i);
      if (!escaped[at] && !isUtf8(bytes.subarray(starts[at], ends[at]))) invalid += counts[i];
    }
  }
  return categoricalOfCounts(counts, hashes, size, valueOf, totalBytes, invalid);
}

function growInt(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}

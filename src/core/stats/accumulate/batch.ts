import type { ColumnView, StringColumn } from '../../data/examples/columns';
import { hash53, hashString } from '../hash';
import { categoricalOfBools, categoricalOfCounts } from './categorical';
import type { FeaturePartial } from './feature';
import { numericOfValues } from './numeric';

/**
 * Feature partials of a column of the examples artifact, over all rows of a row group or over the
 * rows of one slice. Strings are counted by dictionary code, so hashing and Misra-Gries see each
 * distinct value once per row group.
 */
export interface ColumnContext {
  column: ColumnView;
  categoricalInt: boolean;
  /** Per row group: hash and UTF-8 length of each dictionary entry, filled on first use. */
  dictionaryHashes?: Float64Array;
  dictionaryBytes?: Int32Array;
}

export function columnPartial(ctx: ColumnContext, rows: Int32Array | null, n: number): FeaturePartial {
  const column = ctx.column;
  const valid = column.valid;
  let present = 0;
  for (let j = 0; j < n; j++) present += valid[rows === null ? j : rows[j]];
  const base = { present, missing: n - present };
  switch (column.type) {
    case 'int':
    case 'float': {
      const numeric = numericOfValues(column.values, valid, rows, n);
      const categorical = ctx.categoricalInt ? numbersAsCategories(column.values, valid, rows, n) : undefined;
      return { type: column.type, ...base, numeric, categorical };
    }
    case 'bool': {
      const numeric = numericOfValues(column.values, valid, rows, n);
      return { type: 'bool', ...base, numeric, categorical: categoricalOfBools(numeric.zeros, numeric.count - numeric.zeros) };
    }
    case 'string':
      return { type: 'string', ...base, categorical: stringsByCode(ctx, column, rows, n) };
  }
}

function stringsByCode(ctx: ColumnContext, column: StringColumn, rows: Int32Array | null, n: number) {
  const { codes, dictionary } = column;
  const perCode = new Float64Array(dictionary.length);
  for (let j = 0; j < n; j++) {
    const code = codes[rows === null ? j : rows[j]];
    if (code >= 0) perCode[code]++;
  }
  if (!ctx.dictionaryHashes) {
    ctx.dictionaryHashes = new Float64Array(dictionary.length).fill(-1);
    ctx.dictionaryBytes = new Int32Array(dictionary.length);
  }
  const hashes = ctx.dictionaryHashes;
  const lengths = ctx.dictionaryBytes!;
  const used: number[] = [];
  let bytes = 0;
  for (let code = 0; code < perCode.length; code++) {
    if (perCode[code] === 0) continue;
    if (hashes[code] < 0) {
      hashString(dictionary[code]);
      hashes[code] = hash53();
      lengths[code] = Buffer.byteLength(dictionary[code]);
    }
    used.push(code);
    bytes += lengths[code] * perCode[code];
  }
  const counts = new Float64Array(used.length);
  const usedHashes = new Float64Array(used.length);
  used.forEach((code, i) => {
    counts[i] = perCode[code];
    usedHashes[i] = hashes[code];
  });
  // Rows with invalid UTF-8 never reach the examples (ingest reports them as bad rows), so 0 here.
  return categoricalOfCounts(counts, usedHashes, used.length, (i) => dictionary[used[i]], bytes);
}

/** An int feature marked categorical: its values as the decimal text users see. */
function numbersAsCategories(values: Float64Array, valid: Uint8Array, rows: Int32Array | null, n: number) {
  const index = new Map<number, number>();
  const counts: number[] = [];
  const distinct: number[] = [];
  for (let j = 0; j < n; j++) {
    const i = rows === null ? j : rows[j];
    if (!valid[i]) continue;
    const v = values[i];
    const at = index.get(v);
    if (at === undefined) {
      index.set(v, counts.length);
      counts.push(1);
      distinct.push(v);
    } else counts[at]++;
  }
  const text = distinct.map(String);
  const hashes = new Float64Array(text.map((t) => (hashString(t), hash53())));
  const bytes = text.reduce((sum, t, i) => sum + t.length * counts[i], 0);
  return categoricalOfCounts(counts, hashes, counts.length, (i) => text[i], bytes);
}

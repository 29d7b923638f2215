/**
 * Finds the fields of CSV records in a byte buffer without making strings: per field a start and
 * end offset (quotes excluded) and a flag for quoted fields with doubled quotes inside. The rules
 * are those of the ingest's scanner (RFC 4180, blank lines skipped, optional trimming of spaces
 * around unquoted fields), so `mlops stats` on a CSV file sees the cells the pipeline sees.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

export interface FieldTable {
  /** Well-formed records found. */
  rows: number;
  /** Records with the wrong number of fields or a quoting problem: skipped and counted. */
  badRows: number;
  /** `starts[r * fields + f]`, `ends[...]`: field f of record r is bytes[start, end). */
  starts: Int32Array;
  ends: Int32Array;
  /** 1 where the field was quoted and has doubled quotes to unescape. */
  escaped: Uint8Array;
  /** Where scanning stopped: the start of the first record at or after `limit`, or the end. */
  stoppedAt: number;
  /** The last record runs past the buffer and the buffer is not the end of the file. */
  incomplete: boolean;
}

export interface ScanSettings {
  delimiter: number;
  trim: boolean;
  /** Fields per well-formed record in this file. */
  fields: number;
}

/**
 * Scans records that start in [from, limit); the last may end anywhere before `bytes.length`.
 * `final` says the buffer ends at the end of the file.
 */
export function scanFields(bytes: Uint8Array, from: number, limit: number, final: boolean, settings: ScanSettings, table?: FieldTable): FieldTable {
  const { delimiter, trim, fields } = settings;
  const end = bytes.length;
  // A first guess of 64 bytes a record, but never more slots than there are bytes: a record of n
  // fields takes at least n bytes, so a wide file's guess must not multiply rows by fields blindly.
  let capacity = table ? table.starts.length : Math.max(1024, Math.floor((limit - from) / Math.max(64, fields)) * fields);
  let starts = table?.starts ?? new Int32Array(capacity);
  let ends = table?.ends ?? new Int32Array(capacity);
  let escaped = table?.escaped ?? new Uint8Array(capacity);
  let rows = 0;
  let badRows = 0;
  let p = from;
  let incomplete = false;

  records: while (p < end) {
    let c = bytes[p];
    if (c === LF || c === CR) {
      p++;
      continue;
    }
    if (p >= limit) break;
    const recordStart = p;
    const base = rows * fields;
    if (base + fields > capacity) {
      capacity *= 2;
      starts = grow(starts, capacity);
      ends = grow(ends, capacity);
      const bigger = new Uint8Array(capacity);
      bigger.set(escaped);
      escaped = bigger;
    }
    let field = 0;
    let bad = false;
    for (;;) {
      if (trim) while (p < end && bytes[p] === SPACE) p++;
      let s: number;
      let e: number;
      let doubled = 0;
      if (p < end && bytes[p] === QUOTE) {
        s = p + 1;
        let q = s;
        for (;;) {
          const close = bytes.indexOf(QUOTE, q);
          if (close === -1 || (close + 1 === end && !final)) {
            if (!final) {
              incomplete = true;
              p = recordStart;
              break records;
            }
            bad = true;
            e = end;
            p = end;
            break;
          }
          if (bytes[close + 1] === QUOTE) {
            doubled = 1;
            q = close + 2;
            continue;
          }
          e = close;
          p = close + 1;
          break;
        }
        if (trim) while (p < end && bytes[p] === SPACE) p++;
        if (p < end && (c = bytes[p]) !== delimiter && c !== LF && c !== CR) {
          bad = true;
          while (p < end && (c = bytes[p]) !== delimiter && c !== LF && c !== CR) p++;
        }
      } else {
        s = p;
        while (p < end && (c = bytes[p]) !== delimiter && c !== LF && c !== CR) p++;
        e = p;
        if (trim) while (e > s && bytes[e - 1] === SPACE) e--;
      }
      if (field < fields) {
        starts[base + field] = s;
        ends[base + field] = e!;
        escaped[base + field] = doubled;
      }
      field++;
      if (p >= end) {
        if (!final) {
          incomplete = true;
          p = recordStart;
          break records;
        }
        break;
      }
      c = bytes[p];
      if (c === delimiter) {
        p++;
        continue;
      }
      // A lone CR at the buffer's end may be the first half of CRLF: the next read decides.
      if (c === CR && p + 1 === end && !final) {
        incomplete = true;
        p = recordStart;
        break records;
      }
      p += c === CR && bytes[p + 1] === LF ? 2 : 1;
      break;
    }
    if (bad || field !== fields) badRows++;
    else rows++;
  }
  return { rows, badRows, starts, ends, escaped, stoppedAt: p, incomplete };
}

function grow(a: Int32Array, capacity: number): Int32Array {
  const bigger = new Int32Array(capacity);
  bigger.set(a);
  return bigger;
}

/** Where a block that starts near `at` begins: after the first line break at or after `at - 1`. */
export function recordStartAfter(bytes: Uint8Array, at: number): number {
  let p = Math.max(0, at - 1);
  while (p < bytes.length && bytes[p] !== LF && bytes[p] !== CR) p++;
  while (p < bytes.length && (bytes[p] === LF || bytes[p] === CR)) p++;
  return p;
}

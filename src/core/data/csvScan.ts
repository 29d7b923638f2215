import { isAscii, isUtf8 } from 'buffer';

/**
 * RFC 4180 record scanner over bytes. Pure: given a buffer that holds whole records followed by
 * the start of an incomplete one, it returns the whole records and where the incomplete one starts,
 * so the streaming reader can carry that tail into the next chunk.
 */

export interface ScannedRecord {
  fields: string[];
  /** 1-based data row; set by the reader, which knows whether a header came first. */
  row: number;
  /** 1-based line where the record starts. */
  line: number;
  /** The record's bytes, without the line ending, are `bytes[start, end)` of the scanned buffer. */
  start: number;
  end: number;
  /** Why the record is malformed, if it is. */
  problem?: string;
}

export interface ScanOptions {
  delimiter: number;
  /** Drop spaces around unquoted fields and around quotes (`a, "b" ,c`). */
  trim: boolean;
}

export interface ScanResult {
  records: ScannedRecord[];
  /** Bytes of whole records (and blank lines) consumed; the rest starts an incomplete record. */
  consumed: number;
  /** Line number at `consumed`. */
  line: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

/**
 * `final` says no more bytes follow, so a record that reaches the end is complete (or, inside a
 * quote, unterminated). Blank lines are skipped, as most CSV readers do.
 */
export function scanRecords(bytes: Buffer, final: boolean, options: ScanOptions, firstLine: number): ScanResult {
  const end = bytes.length;
  const delim = options.delimiter;
  const trim = options.trim;
  // Most chunks are ASCII: decoding the chunk once and slicing the string is several times faster
  // than one native toString call per field. Invalid UTF-8 is rare, so rows are checked one by
  // one only in chunks that fail the whole-chunk check.
  const text = isAscii(bytes) ? bytes.toString('latin1') : undefined;
  const checkRows = text === undefined && !isUtf8(bytes);
  const decode = text !== undefined ? (a: number, b: number) => text.slice(a, b) : (a: number, b: number) => bytes.toString('utf8', a, b);

  const records: ScannedRecord[] = [];
  let p = 0;
  let line = firstLine;
  let consumed = 0;
  let consumedLine = line;

  records: while (p < end) {
    const first = bytes[p];
    if (first === LF || first === CR) {
      if (first === CR && p + 1 === end && !final) break;
      p += first === CR && bytes[p + 1] === LF ? 2 : 1;
      line++;
      consumed = p;
      consumedLine = line;
      continue;
    }
    const start = p;
    const startLine = line;
    const fields: string[] = [];
    let problem: string | undefined;
    let recordEnd: number;
    for (;;) {
      if (trim) while (p < end && bytes[p] === SPACE) p++;
      if (p < end && bytes[p] === QUOTE) {
        const quoteLine = line;
        const valueStart = p + 1;
        let q = valueStart;
        let doubled = false;
        for (;;) {
          const close = bytes.indexOf(QUOTE, q);
          const stop = close === -1 ? end : close;
          for (let i = q; i < stop; i++) {
            const c = bytes[i];
            if (c === LF || (c === CR && bytes[i + 1] !== LF)) line++;
          }
          if (close === -1) {
            if (!final) break records;
            const lines = line - quoteLine + (bytes[end - 1] === LF || bytes[end - 1] === CR ? 0 : 1);
            problem ??= `unterminated quote: the quote that opens field ${fields.length + 1} on line ${quoteLine} is never closed, so the rest of the file (${lines} lines) was read as one field`;
            fields.push(decode(valueStart, end));
            p = end;
            break;
          }
          if (close + 1 === end && !final) break records;
          if (bytes[close + 1] === QUOTE) {
            doubled = true;
            q = close + 2;
            continue;
          }
          const value = decode(valueStart, close);
          fields.push(doubled ? value.replaceAll('""', '"') : value);
          p = close + 1;
          break;
        }
        if (trim) while (p < end && bytes[p] === SPACE) p++;
        if (p < end && bytes[p] !== delim && bytes[p] !== LF && bytes[p] !== CR) {
          problem ??= `text after the closing quote of field ${fields.length}`;
          while (p < end && bytes[p] !== delim && bytes[p] !== LF && bytes[p] !== CR) p++;
        }
      } else {
        // A quote inside an unquoted field is kept as text (5'10"), as Excel and pandas do.
        let q = p;
        while (q < end) {
          const c = bytes[q];
          if (c === delim || c === LF || c === CR) break;
          q++;
        }
        let e = q;
        if (trim) while (e > p && bytes[e - 1] === SPACE) e--;
        fields.push(decode(p, e));
        p = q;
      }
      if (p === end) {
        if (!final) break records;
        recordEnd = end;
        break;
      }
      const c = bytes[p];
      if (c === delim) {
        p++;
        continue;
      }
      recordEnd = p;
      if (c === CR) {
        if (p + 1 === end && !final) break records;
        p += bytes[p + 1] === LF ? 2 : 1;
      } else {
        p++;
      }
      line++;
      break;
    }
    if (checkRows && !isUtf8(bytes.subarray(start, recordEnd))) {
      problem = invalidUtf8Problem(bytes, start, recordEnd, delim);
    }
    records.push({ fields, row: 0, line: startLine, start, end: recordEnd, problem });
    consumed = p;
    consumedLine = line;
  }
  return { records, consumed, line: consumedLine };
}

function invalidUtf8Problem(bytes: Buffer, start: number, end: number, delim: number): string {
  const at = firstInvalidUtf8(bytes, start, end);
  const field = fieldNumberAt(bytes, start, at, delim);
  const hex = bytes[at].toString(16).toUpperCase().padStart(2, '0');
  return `invalid UTF-8 byte 0x${hex} in field ${field} (byte ${at - start + 1} of the row); is the file in another encoding, such as Latin-1?`;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > end) return i;
    if (!isUtf8(bytes.subarray(i, i + len))) return i;
    i += len;
  }
  return end;
}

/** 1-based field number containing byte `at`, counting delimiters outside quotes. */
function fieldNumberAt(bytes: Uint8Array, start: number, at: number, delim: number): number {
  let field = 1;
  let quoted = false;
  for (let i = start; i < at; i++) {
    if (bytes[i] === QUOTE) quoted = !quoted;
    else if (bytes[i] === delim && !quoted) field++;
  }
  return field;
}

import { readCsv } from '../../core/data/csv';

/** One data row of a CSV: its 1-based number (the header is row 0) and its cells. */
export interface CsvRow {
  row: number;
  line: number;
  fields: string[];
}

export interface CsvHead {
  columns: string[];
  rows: CsvRow[];
  /** Malformed rows met among the first ones (skipped). */
  bad: { row: number; line: number; reason: string }[];
}

/** Small reads: a test request needs the first rows of what may be a file of gigabytes. */
const CHUNK = 64 * 1024;

/**
 * The first `limit` data rows of a CSV (RFC 4180, the same reader as ingest), reading no further
 * than they reach: the stream is closed as soon as enough rows are in. Whole-file problems (empty,
 * no header) are the reader's UserErrors.
 */
export async function readCsvHead(file: string, limit: number): Promise<CsvHead> {
  const head: CsvHead = { columns: [], rows: [], bad: [] };
  for await (const batch of readCsv(file, { chunkSize: CHUNK })) {
    head.columns = [...batch.columns];
    head.rows.push(...batch.records.slice(0, limit - head.rows.length).map((r) => ({ row: r.row, line: r.line, fields: r.fields })));
    head.bad.push(...batch.bad.map((b) => ({ row: b.row, line: b.line, reason: b.reason })));
    if (head.rows.length >= limit) break;
  }
  // Only the bad rows among those read count, not the ones after the last row kept.
  const lastRow = head.rows.length >= limit ? head.rows[head.rows.length - 1].row : Infinity;
  head.bad = head.bad.filter((b) => b.row < lastRow);
  return head;
}

import type { ColumnType } from '../cells';

/**
 * The examples artifact: a folder with `meta.json` and one binary file per (split, span). A file is
 * a sequence of row groups; a row group is
 *
 *   u32 LE header length | header JSON (RowGroupHeader) | padding to 8 | column buffers, each 8-aligned
 *
 * so a reader fetches a row group with one read and views every buffer in place as a typed array.
 * Per column: a byte mask of present values (omitted when nothing is missing), then numbers as
 * Float64 (NaN where missing), bools as bytes, strings as a per-row-group dictionary (Int32 codes,
 * -1 where missing; Uint32 byte offsets into a UTF-8 blob).
 */
export const EXAMPLES_FORMAT = 'mlops-examples';
export const EXAMPLES_VERSION = 1;
export const META_FILE = 'meta.json';
export const DEFAULT_ROW_GROUP_ROWS = 65536;

export interface ColumnMeta {
  name: string;
  type: ColumnType;
  source: 'csv' | 'derived';
  /** The expression of a derived column. */
  expression?: string;
}

export interface RowGroupMeta {
  /** Byte offset and length of the row group in its span file. */
  offset: number;
  length: number;
  rows: number;
}

export interface SpanMeta {
  name: string;
  /** The CSV file the rows came from. */
  source: string;
  /** The binary file, relative to the artifact folder. */
  file: string;
  rows: number;
  /** Malformed rows of the source file left out (counted on the span the source file feeds first). */
  badRows: number;
  /** Columns the source file lacks (serving data without the label): missing in every row. */
  absentColumns: string[];
  rowGroups: RowGroupMeta[];
}

export interface SplitMeta {
  name: string;
  rows: number;
  spans: SpanMeta[];
}

export interface ExamplesMeta {
  format: typeof EXAMPLES_FORMAT;
  version: number;
  rowGroupRows: number;
  columns: ColumnMeta[];
  splits: SplitMeta[];
  badRows: number;
}

/** [byte offset from the start of the row group's buffers, byte length]. */
export type Extent = [number, number];

export interface ColumnChunk {
  present: number;
  valid?: Extent;
  /** Float64 numbers or bool bytes. */
  values?: Extent;
  codes?: Extent;
  offsets?: Extent;
  blob?: Extent;
}

export interface RowGroupHeader {
  rows: number;
  columns: ColumnChunk[];
}

export function align8(n: number): number {
  return (n + 7) & ~7;
}

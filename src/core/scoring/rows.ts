import { readCsv, type BadRow } from '../data/csv';
import { openExamples } from '../data/examples';
import type { RawRow } from '../transform/types';

/** Raw rows in chunks, with the id each row is known by (its index in a split, or its CSV row number). */
export interface RowChunk {
  rows: RawRow[];
  ids: number[];
}

/** Where evaluated or scored rows come from, and the columns they carry (to check a model's inputs up front). */
export interface RowSource {
  /** "split eval of run #12", "data/eval.csv". */
  description: string;
  /** The file to name in messages about a row. */
  file: string;
  columns: readonly string[];
  chunks(): AsyncGenerator<RowChunk>;
  /** Malformed rows met so far (CSV only), reported instead of stopping at the first. */
  bad: BadRow[];
}

/** The rows of one split of ingested examples (derived columns included), row ids from 0. */
export async function examplesRows(dir: string, split: string, description: string): Promise<RowSource> {
  const examples = await openExamples(dir);
  examples.split(split);
  return {
    description,
    file: dir,
    columns: examples.columns.map((c) => c.name),
    bad: [],
    async *chunks() {
      let id = 0;
      for await (const batch of examples.rowGroups(split)) {
        const rows: RawRow[] = new Array(batch.rows);
        const ids: number[] = new Array(batch.rows);
        for (let i = 0; i < batch.rows; i++) {
          rows[i] = batch.row(i);
          ids[i] = id++;
        }
        yield { rows, ids };
      }
    },
  };
}

/**
 * The rows of a CSV file as text cells (the model parses them as ingest did), ids = 1-based data row
 * numbers. Malformed records are collected in `bad` and left out.
 */
export async function csvRows(file: string, options: { delimiter?: string } = {}): Promise<RowSource> {
  const header = readCsv(file, options);
  const first = await header.next();
  await header.return(undefined);
  const columns = first.done ? [] : first.value.columns;
  const bad: BadRow[] = [];
  return {
    description: file,
    file,
    columns,
    bad,
    async *chunks() {
      for await (const batch of readCsv(file, options)) {
        bad.push(...batch.bad);
        const rows: RawRow[] = new Array(batch.records.length);
        const ids: number[] = new Array(batch.records.length);
        batch.records.forEach((record, i) => {
          const row: Record<string, string> = {};
          batch.columns.forEach((c, j) => (row[c] = record.fields[j]));
          rows[i] = row;
          ids[i] = record.row;
        });
        if (rows.length) yield { rows, ids };
      }
    },
  };
}

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { cellType, missingTest, parseBool, parseNumber, widen, type ColumnType } from '../../../src/core/data/cells';
import { readCsv } from '../../../src/core/data/csv';

export interface NaiveColumn {
  name: string;
  type: ColumnType;
  present: number;
  missing: number;
  /** Over finite values, for numeric and bool columns. */
  mean?: number;
  /** Exact counts by cell text, for string columns. */
  counts?: Map<string, number>;
}

/**
 * An independent reference: every cell as a string from the ingest's CSV reader, types by the
 * ingest's widening rules, then plain loops. Slow and simple on purpose.
 */
export async function naiveCsv(file: string, options: { missing?: string[]; trim?: boolean } = {}): Promise<{ rows: number; columns: NaiveColumn[] }> {
  const isMissing = missingTest(options.missing ?? []);
  let names: readonly string[] = [];
  const cells: string[][] = [];
  for await (const batch of readCsv(file, { trim: options.trim ?? true })) {
    names = batch.columns;
    for (const record of batch.records) cells.push(record.fields);
  }
  const columns = names.map((name, c): NaiveColumn => {
    let type: ColumnType | undefined;
    let present = 0;
    for (const row of cells) {
      if (isMissing(row[c])) continue;
      present++;
      type = widen(type, cellType(row[c]));
    }
    const column: NaiveColumn = { name, type: type ?? 'string', present, missing: cells.length - present };
    if (column.type === 'string') {
      column.counts = new Map();
      for (const row of cells) if (!isMissing(row[c])) column.counts.set(row[c], (column.counts.get(row[c]) ?? 0) + 1);
    } else {
      let sum = 0;
      let n = 0;
      for (const row of cells) {
        if (isMissing(row[c])) continue;
        const v = column.type === 'bool' ? Number(parseBool(row[c])) : parseNumber(row[c]);
        if (Number.isFinite(v)) {
          sum += v;
          n++;
        }
      }
      column.mean = n ? sum / n : 0;
    }
    return column;
  });
  return { rows: cells.length, columns };
}

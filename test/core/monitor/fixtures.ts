import * as path from 'node:path';
import { csvRows } from '../../../src/core/scoring/rows';
import type { ServedRecord } from '../../../src/core/serve/log';
import { mulberry32, shuffleInPlace } from '../../../src/core/util/random';
import { SHARED_DATASETS } from '../../helpers/tmp';

export const TAXI_TRAIN = path.join(SHARED_DATASETS, 'taxi', 'train.csv');

export type CsvRow = Record<string, string>;

/** A seeded random sample of a CSV's rows (train.csv is grouped by area, so its first rows are no sample). */
export async function sampleRows(file: string, n: number, seed: number): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const chunk of (await csvRows(file)).chunks()) rows.push(...(chunk.rows as CsvRow[]));
  return shuffleInPlace(rows, mulberry32(seed)).slice(0, n);
}

/** Served traffic that moved: fares three times as high, and 70% of trips paid in cash. */
export function shifted(rows: readonly CsvRow[]): CsvRow[] {
  return rows.map((row, i) => ({ ...row, fare: row.fare === '' ? '' : String(Number(row.fare) * 3), payment_type: i % 10 < 7 ? 'Cash' : row.payment_type }));
}

/** A row as a client sends it: JSON numbers for numeric text, null for empty cells, no label columns. */
export function requestInputs(row: CsvRow, without: readonly string[] = ['tips']): ServedRecord['inputs'] {
  const inputs: ServedRecord['inputs'] = {};
  for (const [k, v] of Object.entries(row)) {
    if (without.includes(k)) continue;
    inputs[k] = v === '' ? null : Number.isNaN(Number(v)) ? v : Number(v);
  }
  return inputs;
}

export function served(
  rows: readonly CsvRow[],
  o: { prefix: string; version: number; at: number; score?: (row: CsvRow, i: number) => number },
): ServedRecord[] {
  return rows.map((row, i) => {
    const score = o.score?.(row, i) ?? 0.5;
    return {
      id: `${o.prefix}-${i}`,
      at: o.at + i * 100,
      model: 'taxi',
      version: o.version,
      inputs: requestInputs(row),
      score,
      label: score >= 0.5 ? 'true' : 'false',
      latencyMs: 1,
    };
  });
}

/** The taxi label of the examples: did the passenger tip more than 20% of the fare? */
export const bigTipper = (row: CsvRow): boolean => Number(row.tips) > 0.2 * Number(row.fare);

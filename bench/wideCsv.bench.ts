/**
 * Statistics of a very wide CSV against a narrow one of the same number of cells, in the same run:
 * 100,000 columns × 10 rows and 1,000 columns × 1,000 rows (a third of the columns text, the rest
 * integers). Linear cost in cells makes the ratio about 1; a cost per column that grows with the
 * number of columns (matching names by scanning, k sketch slots per column) shows up here.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { round } from './measure';
import { child, ours } from './statsChild';
import type { BenchResult } from './types';

function writeGrid(file: string, columns: number, rows: number): void {
  const header = Array.from({ length: columns }, (_, c) => `c${c}`).join(',');
  const cell = (r: number, c: number) => (c % 3 ? String((r * 31 + c * 7) % 101) : `v${(r + c) % 6}`);
  const lines = Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => cell(r, c)).join(','));
  writeFileSync(file, [header, ...lines].join('\n') + '\n');
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-wide-'));
  const figures: BenchResult['figures'] = {};
  try {
    const shapes = [
      ['wide 100,000 × 10', 100_000, 10],
      ['narrow 1,000 × 1,000', 1_000, 1_000],
    ] as const;
    const seconds: number[] = [];
    for (const [label, columns, rows] of shapes) {
      const file = path.join(dir, `${columns}x${rows}.csv`);
      writeGrid(file, columns, rows);
      const measured = await child(ours(file));
      if (measured.rows !== rows) throw new Error(`${label}: ${measured.rows} rows summarised, expected ${rows}`);
      seconds.push(measured.ms / 1000);
      figures[`${label} MB`] = round(statSync(file).size / 1e6);
      figures[`${label} s`] = round(measured.ms / 1000);
      figures[`${label} peak RSS MB`] = round(measured.maxRssMb);
    }
    figures['wide / narrow time (1: linear in cells)'] = round(seconds[0] / seconds[1]);
    return {
      name: 'stats of a very wide CSV (same cells, wide and narrow)',
      figures,
      notes: ['each file is summarised in its own child process (computeCsvStatistics, every statistic of the statistics file)'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `mlops stats` on CSV against DuckDB's SUMMARIZE of the same file, in the same run: the taxi
 * training data repeated to 1,000,000 rows (~128 MB), then to 10,000,000 rows (~1.3 GB, written
 * streaming and deleted after) to show memory stays flat. Each side runs in its own child process
 * so its peak RSS (process.resourceUsage().maxRSS, worker threads included) is its own.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { round } from './measure';
import { child, ours } from './statsChild';
import type { BenchResult } from './types';

const TRAIN = path.resolve(__dirname, '../..', '../shared/datasets/taxi/train.csv');

/**
 * DuckDB's Node package is 70 MB that no user of the extension needs: it is not a dependency of the
 * project, but installed on first use into bench/.tools (git-ignored) and kept there.
 */
const DUCKDB = '@duckdb/node-api@1.5.6-r.1';
const TOOLS = path.resolve(__dirname, '../..', 'bench/.tools');

function duckdbModule(): string {
  const resolve = () => require.resolve('@duckdb/node-api', { paths: [TOOLS] });
  try {
    return resolve();
  } catch {
    console.error(`installing ${DUCKDB} into ${path.relative(process.cwd(), TOOLS)} for the comparison (once)`);
    execFileSync('npm', ['install', '--prefix', TOOLS, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', DUCKDB], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return resolve();
  }
}

async function writeRepeated(file: string, rows: number): Promise<void> {
  const text = readFileSync(TRAIN, 'utf8');
  const header = text.slice(0, text.indexOf('\n') + 1);
  const body = text.slice(header.length);
  const perCopy = body.split('\n').filter((l) => l.length > 0).length;
  const out = createWriteStream(file);
  out.write(header);
  for (let written = 0; written < rows; written += perCopy) {
    if (!out.write(body)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const duckdb = (file: string) => `
const { performance } = require('perf_hooks');
const { DuckDBInstance } = require(${JSON.stringify(duckdbModule())});
(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const start = performance.now();
  const result = await connection.runAndReadAll(${JSON.stringify(`SUMMARIZE SELECT * FROM read_csv_auto('${file}')`)});
  const ms = performance.now() - start;
  const rows = Number(result.getRowObjects()[0].count);
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, rows }));
})();`;

async function measure(file: string, label: string, figures: BenchResult['figures']): Promise<void> {
  const mb = statSync(file).size / 1e6;
  // Warm the page cache once so neither side pays for the first read alone.
  await child(`require('fs').readFileSync(${JSON.stringify(file)}).length; console.log('{"ms":0,"maxRssMb":0,"rows":0}')`).catch(() => undefined);
  const us = await child(ours(file));
  const them = await child(duckdb(file));
  figures[`${label} input MB`] = round(mb);
  figures[`${label} rows`] = us.rows;
  figures[`${label} mlops stats s`] = round(us.ms / 1000);
  figures[`${label} duckdb SUMMARIZE s`] = round(them.ms / 1000);
  figures[`${label} duckdb / mlops (>1: we are faster)`] = round(them.ms / us.ms);
  figures[`${label} mlops MB/s`] = round(mb / (us.ms / 1000));
  figures[`${label} mlops peak RSS MB`] = round(us.maxRssMb);
  figures[`${label} duckdb peak RSS MB`] = round(them.maxRssMb);
  if (us.rows !== them.rows) figures[`${label} ROW COUNT MISMATCH`] = `${us.rows} vs ${them.rows}`;
}

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-stats-'));
  const figures: BenchResult['figures'] = {};
  try {
    for (const [label, rows] of [
      ['1M', 1_000_000],
      ['10M', 10_000_000],
    ] as const) {
      const file = path.join(dir, `taxi-${label}.csv`);
      await writeRepeated(file, rows);
      try {
        await measure(file, label, figures);
      } finally {
        rmSync(file, { force: true });
      }
    }
    figures.cores = os.availableParallelism();
    return {
      name: 'stats (taxi train.csv repeated, CSV path)',
      figures,
      notes: [
        'mlops: every statistic of the statistics file (moments, KLL quantiles and histograms, Misra-Gries top values, KMV distinct counts) in one pass, worker threads = cores (max 4)',
        'duckdb: SUMMARIZE (min, max, approx_unique, avg, std, q25/q50/q75, count, null %) over read_csv_auto, its default thread count',
        'each side runs in its own child process; peak RSS is process.resourceUsage().maxRSS',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A statistics measurement in a fresh Node of its own, so each side's peak RSS (worker threads
 * included) is its own: shared by the stats benches.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';

const STATS_MODULE = path.resolve(__dirname, '../src/core/stats');

export interface ChildFigures {
  ms: number;
  maxRssMb: number;
  rows: number;
}

/** Runs `code` in a fresh Node; the code prints one JSON line of figures last. */
export async function child(code: string): Promise<ChildFigures> {
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [status] = (await once(proc, 'exit')) as [number | null];
  if (status !== 0) throw new Error(`bench child exited ${status}: ${out}`);
  return JSON.parse(out.trim().split('\n').pop()!) as ChildFigures;
}

export const ours = (file: string) => `
const { performance } = require('perf_hooks');
const { computeCsvStatistics } = require(${JSON.stringify(STATS_MODULE)});
const start = performance.now();
computeCsvStatistics(${JSON.stringify(file)}).then((s) => {
  const ms = performance.now() - start;
  console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, rows: s.datasets[0].numExamples }));
});`;

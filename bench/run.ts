/**
 * `npm run bench`: runs every `*.bench.js` next to this file (BENCH_FILTER=store,other selects by
 * file name), prints the figures and writes them to bench-results.json in the current directory.
 * Benchmarks print; they never assert on time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatResults } from './report';
import type { BenchModule, BenchResult } from './types';

const SUFFIX = '.bench.js';

function selectedBenches(): string[] {
  const filters = (process.env.BENCH_FILTER ?? '')
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter(Boolean);
  return fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .filter((name) => filters.length === 0 || filters.some((f) => name.toLowerCase().includes(f)))
    .sort();
}

async function main(): Promise<void> {
  const names = selectedBenches();
  if (names.length === 0) {
    console.error(`no benchmark matches BENCH_FILTER=${process.env.BENCH_FILTER ?? ''}`);
    process.exitCode = 1;
    return;
  }
  const results: BenchResult[] = [];
  for (const name of names) {
    console.error(`running ${name} ...`);
    try {
      const bench = require(path.join(__dirname, name + SUFFIX)) as BenchModule;
      results.push(await bench.run());
    } catch (error) {
      // One broken bench must not hide the others' figures.
      results.push({ name, figures: { error: error instanceof Error ? error.message : String(error) } });
      process.exitCode = 1;
    }
  }
  console.log(formatResults(results));
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    results,
  };
  fs.writeFileSync(path.resolve('bench-results.json'), JSON.stringify(report, null, 2) + '\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

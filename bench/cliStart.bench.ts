/**
 * How long `mlops` takes to start: the CPU time (user + system) of `mlops --version` and of
 * `mlops runs list` on an empty workspace, against `node -e 0` on the same Node in the same run (the
 * part no CLI can save). On this Node and on Node 24, the line of current VS Code's extension host,
 * which starts the CLI for every task and keeps V8's compile cache (dist/cli.js turns it on).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { round } from './measure';
import type { BenchResult } from './types';

const CLI = path.resolve(__dirname, '../..', 'dist/cli.js');
const SAMPLES = 9;

/** Median CPU seconds of a process, after one warm-up start (page cache, compile cache). */
function cpuSeconds(node: string, args: string[], cwd: string): number {
  const once = () => {
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT=%U+%S; time "$@" >/dev/null', 'time', node, ...args], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${path.basename(node)} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    const [user, system] = r.stderr.trim().split('\n').pop()!.split('+').map(Number);
    return user + system;
  };
  once();
  const times = Array.from({ length: SAMPLES }, once).sort((a, b) => a - b);
  return times[SAMPLES >> 1];
}

function node24(): string | undefined {
  try {
    return execFileSync('bash', [path.resolve(__dirname, '../..', 'scripts/node-setup.sh'), '24'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

export async function run(): Promise<BenchResult> {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'mlops-bench-cli-'));
  const figures: BenchResult['figures'] = {};
  try {
    const nodes: [string, string | undefined][] = [
      [`node ${process.versions.node}`, process.execPath],
      ['node 24', node24()],
    ];
    for (const [label, node] of nodes) {
      if (!node) continue;
      const reference = cpuSeconds(node, ['-e', '0'], workspace);
      const version = cpuSeconds(node, [CLI, '--version'], workspace);
      const list = cpuSeconds(node, [CLI, 'runs', 'list'], workspace);
      figures[`${label}: node -e 0 CPU s`] = round(reference);
      figures[`${label}: mlops --version CPU s`] = round(version);
      figures[`${label}: mlops runs list CPU s`] = round(list);
      figures[`${label}: mlops --version above node -e 0 s`] = round(version - reference);
    }
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
  return {
    name: 'cliStart',
    figures,
    notes: [`median of ${SAMPLES} starts after one warm-up; CPU time is user + system of the process (bash's time)`],
  };
}

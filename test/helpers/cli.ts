import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './tmp';

/** The bundled CLI; MLOPS_TEST_CLI points the CLI tests at another bundle (a work-in-progress build). */
export const CLI = process.env.MLOPS_TEST_CLI ?? path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled `mlops` exactly as users and CI do: a separate Node process. */
export function mlops(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function mlopsJson<T = unknown>(args: string[], cwd: string): T {
  const r = mlops([...args, '--json'], cwd);
  if (r.status !== 0) throw new Error(`mlops ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export function mlopsAsync(args: string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

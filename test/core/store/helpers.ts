import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { RunStore, type NewRun, type OpenOptions } from '../../../src/core/store';

/** The compiled store, for child processes that must write to a store themselves. */
export const STORE_MODULE = path.resolve(__dirname, '../../../src/core/store');

const dirs: string[] = [];
process.on('exit', () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-store-test-'));
  dirs.push(dir);
  return dir;
}

/** A settable clock, so timestamps and durations in assertions are exact. */
export class FakeClock {
  constructor(public time = 1_700_000_000_000) {}
  readonly now = (): number => this.time;
  advance(ms: number): number {
    this.time += ms;
    return this.time;
  }
}

export function openTempStore(options: OpenOptions = {}): { store: RunStore; path: string; dir: string } {
  const dir = tempDir();
  const storePath = path.join(dir, '.mlops', 'runs.db');
  return { store: RunStore.open(storePath, options), path: storePath, dir };
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    pipelineName: 'taxi',
    pipelineFile: 'pipelines/taxi.yaml',
    pipelineHash: 'sha256:pipeline',
    toolVersion: '0.1.0',
    ...overrides,
  };
}

/** The pid of a process that has exited, for runs whose owner is gone. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { DriverName } from '../../src/core/store/driver/types';

const WORKER = path.join(__dirname, 'storeWorker.js');

/**
 * The Nodes to try: this one and those in MLOPS_TEST_NODES (colon-separated; `npm test` names the
 * Nodes it installed), so one test can run a store on both drivers at once.
 */
function candidateNodes(): string[] {
  const named = (process.env.MLOPS_TEST_NODES ?? '').split(':').filter(Boolean);
  return [...new Set([process.execPath, ...named])];
}

/** For each driver, a Node that runs it (the first that does), found by asking each Node. */
export function nodesByDriver(candidates: string[] = candidateNodes()): Map<DriverName, string> {
  const found = new Map<DriverName, string>();
  for (const node of candidates) {
    for (const driver of ['node:sqlite', 'better-sqlite3'] as const) {
      if (found.has(driver)) continue;
      const probe = spawnSync(node, [WORKER, ':memory:'], {
        input: '{"do":"hello"}\n',
        encoding: 'utf8',
        env: { ...process.env, MLOPS_SQLITE_DRIVER: driver },
      });
      const answer = probe.status === 0 ? (JSON.parse(probe.stdout.split('\n')[0] || '{}') as { driver?: string }) : {};
      if (answer.driver === driver) found.set(driver, node);
    }
  }
  return found;
}

/** One worker process: send a command, get its answer, in order. */
export class StoreWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly answers: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(node: string, driver: DriverName, storePath: string) {
    this.child = spawn(node, [WORKER, storePath], { env: { ...process.env, MLOPS_SQLITE_DRIVER: driver } });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.answers.shift()?.(line));
  }

  send<T = Record<string, unknown>>(command: Record<string, unknown>): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`store worker exited (${code}) before answering: ${this.stderr}`));
      this.child.once('exit', onExit);
      this.answers.push((line) => {
        this.child.off('exit', onExit);
        const answer = JSON.parse(line) as T & { error?: string };
        if (answer.error) reject(new Error(`store worker: ${answer.error}`));
        else resolve(answer);
      });
      this.child.stdin.write(JSON.stringify(command) + '\n');
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

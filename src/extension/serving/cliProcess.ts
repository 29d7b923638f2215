import { spawn, type ChildProcess } from 'node:child_process';
import { cliErrorMessage } from '../models/registryCli';
import type { CliInvocation } from '../tasks/cliCommand';
import { LineSplitter } from './events';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what it wrote on stderr (its refusal, for cliErrorMessage). */
  stderr: string;
  /** Why it could not even start (no such executable). */
  spawnError?: string;
}

const STDERR_TAIL = 64 * 1024;

/**
 * A long-running CLI child (the server, the monitor): its stdout and stderr as lines as they come,
 * how it ended, and a graceful stop. No stdin: the CLI stops on SIGINT/SIGTERM.
 */
export class CliProcess {
  readonly exited: Promise<CliExit>;
  private readonly child: ChildProcess;
  private ended = false;

  constructor(invocation: CliInvocation, on: { stdout(line: string): void; stderr(line: string): void }) {
    this.child = spawn(invocation.command, invocation.args, { cwd: invocation.cwd, env: invocation.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const out = new LineSplitter();
    const err = new LineSplitter();
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => out.push(d).forEach((l) => on.stdout(l)));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-STDERR_TAIL);
      err.push(d).forEach((l) => on.stderr(l));
    });
    this.exited = new Promise((resolve) => {
      const finish = (exit: Omit<CliExit, 'stderr'>) => {
        if (this.ended) return;
        this.ended = true;
        out.end().forEach((l) => on.stdout(l));
        err.end().forEach((l) => on.stderr(l));
        resolve({ ...exit, stderr });
      };
      this.child.on('error', (e) => finish({ code: null, signal: null, spawnError: e.message }));
      // 'close' comes after the pipes are drained, so no line is lost.
      this.child.on('close', (code, signal) => finish({ code, signal }));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return !this.ended;
  }

  /** SIGINT (the CLI finishes what is in flight), then SIGKILL when it is still there after `graceMs`. */
  async interrupt(graceMs: number): Promise<CliExit> {
    if (this.running) this.child.kill('SIGINT');
    const timer = setTimeout(() => this.running && this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM without waiting (the window is closing). */
  terminate(): void {
    if (this.running) this.child.kill('SIGTERM');
  }
}

/** What the CLI said, for a notification: its stderr on one line without its "error:" tag. */
export function refusal(exit: CliExit): string {
  return exit.spawnError ?? cliErrorMessage({ code: exit.code, stdout: '', stderr: exit.stderr }).replace(/^error:\s*/i, '');
}

export function describeExit(exit: CliExit): string {
  if (exit.spawnError) return 'could not start';
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

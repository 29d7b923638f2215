import { spawn } from 'node:child_process';
import type { CliInvocation } from '../tasks/cliCommand';

/**
 * How the Models tree changes the registry: through the `mlops` CLI in a child process, like runs
 * (never in the extension host, and with the CLI's own checks, atomic copy and messages). The
 * command line is built by a pure function so it is testable without VS Code.
 */

export type RegistryAction =
  | { kind: 'push'; model: string; version: number; alias: string; force: boolean; reason: string }
  | { kind: 'rollback'; model: string; alias: string; to: number };

export function registryArgs(a: RegistryAction): string[] {
  switch (a.kind) {
    case 'push':
      return ['push', `${a.model}@${a.version}`, '--alias', a.alias, ...(a.force ? ['--force'] : []), '--reason', a.reason, '--json'];
    case 'rollback':
      return ['rollback', a.model, '--to', String(a.to), '--alias', a.alias, '--json'];
  }
}

export function registryInvocation(o: {
  /** The extension host's own executable: Node, or Electron which `ELECTRON_RUN_AS_NODE` turns into Node. */
  nodePath: string;
  cliPath: string;
  storePath: string;
  cwd: string;
  baseEnv: NodeJS.ProcessEnv;
  action: RegistryAction;
}): CliInvocation {
  return {
    command: o.nodePath,
    args: [o.cliPath, ...registryArgs(o.action), '--store', o.storePath],
    cwd: o.cwd,
    // Plain text: the CLI's message goes into a notification as it is.
    env: { ...o.baseEnv, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  };
}

/** The command as a user would type it, for the log. */
export function describeRegistryAction(a: RegistryAction): string {
  return ['mlops', ...registryArgs(a).map((arg) => (/^[\w./@:-]+$/.test(arg) ? arg : JSON.stringify(arg)))].join(' ');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const MAX_MESSAGE = 600;

/** What the CLI said went wrong, on one line: its stderr (the problem and its hint), else stdout, else the exit code. */
export function cliErrorMessage(r: CliResult): string {
  const lines = (text: string) =>
    text
      .replace(ANSI, '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
  const said = lines(r.stderr).length ? lines(r.stderr) : lines(r.stdout);
  const text = said.join(' — ') || `mlops exited with code ${r.code ?? 'unknown (killed)'}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** A push copies a model package; a CLI still going after this long is stuck. */
const CLI_TIMEOUT_MS = 5 * 60_000;
const MAX_OUTPUT = 1 << 20;

/** Runs the CLI to completion without blocking: its exit code and output. */
export function runCli(invocation: CliInvocation, timeoutMs = CLI_TIMEOUT_MS): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(invocation.command, invocation.args, { cwd: invocation.cwd, env: invocation.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-MAX_OUTPUT)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-MAX_OUTPUT)));
    const timer = setTimeout(() => {
      stderr += `\nmlops did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

import type { CliInvocation } from '../tasks/cliCommand';

/**
 * The command lines of the prediction server and the monitor that runs beside it: pure, so they are
 * testable without VS Code. Both run the extension's own CLI in a child process, never in the
 * extension host, and print JSON lines on stdout that the controller reads.
 */

export interface ServeOptions {
  model: string;
  storePath: string;
  /** 0 picks a free port. */
  port: number;
  /** Share of served rows written to the request log, 0 to 1. */
  sampleRate: number;
}

export function serveArgs(o: ServeOptions): string[] {
  return ['serve', '--model', o.model, '--store', o.storePath, '--port', String(o.port), '--sample-rate', String(o.sampleRate), '--json'];
}

/** Reads the same default log folder as the server (beside the store), one window report per line. */
export function monitorArgs(o: { model: string; storePath: string }): string[] {
  return ['monitor', '--model', o.model, '--follow', '--json', '--store', o.storePath];
}

export function cliInvocation(o: {
  /** The extension host's own executable: Node, or Electron which `ELECTRON_RUN_AS_NODE` turns into Node. */
  nodePath: string;
  cliPath: string;
  args: string[];
  cwd: string;
  baseEnv: NodeJS.ProcessEnv;
}): CliInvocation {
  return {
    command: o.nodePath,
    args: [o.cliPath, ...o.args],
    cwd: o.cwd,
    // Plain text: a refusal on stderr goes into a notification as it is.
    env: { ...o.baseEnv, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  };
}

/** The command as a user would type it, for the log. */
export function describeCommand(args: readonly string[]): string {
  return ['mlops', ...args.map((a) => (/^[\w./@:=-]+$/.test(a) ? a : JSON.stringify(a)))].join(' ');
}

import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseWatchEvent, type WatchEvent } from '../../core/triggers/events';
import type { RunStatus, RunTrigger } from '../../core/store/types';
import { showError } from '../log';
import { CliProcess, describeExit, refusal, type CliExit } from '../serving/cliProcess';
import { cliInvocation, describeCommand } from '../serving/invocation';

/** Context key for `when` clauses: this window runs an `mlops watch`. */
const WATCHING_CONTEXT = 'mlops.watching';
/** Stop waits this long for a triggered run to cancel cleanly before it kills the watcher. */
const STOP_GRACE_MS = 15_000;

export interface WatchStatus {
  pipeline: string;
  file: string;
  state: 'starting' | 'watching' | 'failed';
  /** What the watcher said it watches. */
  watching: Extract<WatchEvent, { type: 'watching' }> | null;
  /** The newest trigger and what became of it. */
  last: { trigger: RunTrigger; at: number; runId: number | null; status: RunStatus | 'queued' | 'not started'; message: string | null } | null;
  error: string | null;
}

export interface WatchControllerDeps {
  log: vscode.LogOutputChannel;
  /** dist/cli.js of this extension. */
  cliPath: string;
  storePath(): string | undefined;
  /** A triggered run started or ended: the Runs tree reads the store again. */
  onRun(): void;
}

/**
 * Runs `mlops watch --json` for one pipeline at a time in a child process (never in the extension
 * host) and reads its events into a status: what it watches, the last trigger and its run. The
 * runs' own output goes to the MLOps log. A refusal to start (a broken pipeline file, another
 * watcher) or an unexpected exit is an error notification with the CLI's message.
 */
export class WatchController implements vscode.Disposable {
  private session: { status: WatchStatus; process: CliProcess; stopping: boolean; stopped?: Promise<void> } | undefined;
  private readonly emitter = new vscode.EventEmitter<WatchStatus | undefined>();
  readonly onDidChangeStatus = this.emitter.event;
  private disposed = false;

  constructor(private readonly deps: WatchControllerDeps) {}

  status(): WatchStatus | undefined {
    return this.session && { ...this.session.status };
  }

  /** The watcher's process id (for tests). */
  get pid(): number | undefined {
    return this.session?.process.pid;
  }

  /** Watches `file` (stopping what watches now); resolves once it watches or has failed to start. */
  async start(pipeline: { name: string; file: string }): Promise<WatchStatus> {
    await this.stop();
    const { log } = this.deps;
    const storePath = this.deps.storePath();
    const failed = (error: string): WatchStatus => {
      void showError(log, `cannot watch ${pipeline.name}: ${error}`);
      return { pipeline: pipeline.name, file: pipeline.file, state: 'failed', watching: null, last: null, error };
    };
    if (this.disposed) return failed('the window is closing');
    if (!storePath) return failed('open a folder first: triggered runs are recorded in its run store');
    if (!existsSync(this.deps.cliPath)) return failed(`the mlops CLI is missing at ${this.deps.cliPath}; build the extension (npm run build)`);
    const args = ['watch', pipeline.file, '--json', '--store', storePath];
    log.info(`watch: ${describeCommand(args)}`);
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const child = new CliProcess(
      cliInvocation({ nodePath: process.execPath, cliPath: this.deps.cliPath, args, cwd: path.dirname(pipeline.file), baseEnv: process.env }),
      {
        stdout: (line) => {
          const event = parseWatchEvent(line);
          if (event) this.onEvent(session, event, ready);
        },
        stderr: (line) => log.info(`watch: ${line}`),
      },
    );
    const session = {
      status: { pipeline: pipeline.name, file: pipeline.file, state: 'starting', watching: null, last: null, error: null } as WatchStatus,
      process: child,
      stopping: false,
    };
    this.session = session;
    this.publish();
    void child.exited.then((exit) => {
      this.onExit(session, exit);
      ready();
    });
    await started;
    return { ...session.status };
  }

  /** Stops watching; a triggered run going now is canceled (it ends canceled in the store). */
  stop(): Promise<void> {
    const session = this.session;
    if (!session) return Promise.resolve();
    session.stopped ??= (async () => {
      session.stopping = true;
      this.deps.log.info(`watch: stopping ${session.status.pipeline}`);
      await session.process.interrupt(STOP_GRACE_MS);
      if (this.session === session) this.session = undefined;
      this.publish();
    })();
    return session.stopped;
  }

  dispose(): void {
    this.disposed = true;
    if (this.session) {
      this.session.stopping = true;
      this.session.process.terminate();
    }
    void vscode.commands.executeCommand('setContext', WATCHING_CONTEXT, false);
    this.emitter.dispose();
  }

  private onEvent(session: NonNullable<WatchController['session']>, event: WatchEvent, ready: () => void): void {
    const status = session.status;
    const last = status.last;
    switch (event.type) {
      case 'watching':
        status.state = 'watching';
        status.watching = event;
        ready();
        break;
      case 'trigger':
        if (event.outcome === 'merged') return;
        status.last = { trigger: event.trigger, at: Date.now(), runId: null, status: event.outcome === 'queued' ? 'queued' : 'running', message: null };
        break;
      case 'run-started':
        status.last = { ...(last ?? { trigger: event.trigger, at: Date.now(), message: null }), runId: event.runId, status: 'running' };
        this.deps.onRun();
        break;
      case 'run-finished':
        if (last?.runId === event.runId) status.last = { ...last, status: event.status };
        this.deps.onRun();
        break;
      case 'run-not-started':
        status.last = { trigger: event.trigger, at: Date.now(), runId: null, status: 'not started', message: event.message };
        this.deps.log.warn(`watch: ${event.message}`);
        break;
      default:
        return;
    }
    this.publish();
  }

  private onExit(session: NonNullable<WatchController['session']>, exit: CliExit): void {
    const { log } = this.deps;
    if (session.stopping || this.disposed) {
      log.info(`watch: ${session.status.pipeline} stopped (${describeExit(exit)})`);
      return;
    }
    const refused = session.status.state === 'starting';
    const message = refused ? refusal(exit) : `mlops watch stopped unexpectedly (${describeExit(exit)})`;
    log.error(`watch: ${session.status.pipeline}: ${message}`);
    session.status = { ...session.status, state: 'failed', error: message };
    this.publish();
    void showError(log, refused ? `cannot watch ${session.status.pipeline}` : `${session.status.pipeline} is no longer watched`, new Error(message));
  }

  private publish(): void {
    if (this.disposed) return;
    const status = this.status();
    void vscode.commands.executeCommand('setContext', WATCHING_CONTEXT, status?.state === 'starting' || status?.state === 'watching');
    this.emitter.fire(status);
  }
}

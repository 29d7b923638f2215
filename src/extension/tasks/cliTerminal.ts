import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Readable } from 'node:stream';
import * as vscode from 'vscode';
import { ExitCode, parseRunEvent } from '../../core/runner/events';
import { EVENTS_FD, type CliInvocation } from './cliCommand';
import { LineBuffer, toTerminalText } from './lineBuffer';
import type { RunSession, RunSessions } from './sessions';
import type { MlopsTaskDefinition } from './definition';
import { errorMessage } from '../../core/util/errorMessage';

/** Time the CLI gets to mark its run canceled after SIGINT before it is killed. */
const CANCEL_GRACE_MS = 5000;
/** After exit, how long to wait for the pipes to drain (a step's background child may hold them). */
const DRAIN_MS = 1000;
const CTRL_C = '\x03';

const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const red = (s: string) => `\x1b[31m${s}\x1b[0m`;

export interface CliTerminalOptions {
  invocation: CliInvocation;
  definition: MlopsTaskDefinition;
  pipelineFile: string;
  pipelineName: string;
  /** First line shown in the terminal, e.g. `mlops run tiny.pipeline.yaml`. */
  commandLine: string;
  sessions: RunSessions;
  log: vscode.LogOutputChannel;
}

/**
 * The terminal of an `mlops` task: runs the CLI as a child process (never in the extension host),
 * shows its output, turns Ctrl+C and closing the terminal into SIGINT (then SIGKILL after a grace
 * period) and reports the CLI's exit code as the task's. Structured events arrive on fd 3 and go to
 * the RunSessions hub so the views update while the run is going.
 */
export class CliTerminal implements vscode.Pseudoterminal, RunSession {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  readonly id: number;
  readonly definition: MlopsTaskDefinition;
  readonly pipelineFile: string;
  readonly pipelineName: string;

  private child: ChildProcess | undefined;
  private registration: vscode.Disposable | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private interrupted = false;
  private finished = false;
  private exitCode: number | undefined;

  constructor(private readonly o: CliTerminalOptions) {
    this.id = o.sessions.newId();
    this.definition = o.definition;
    this.pipelineFile = o.pipelineFile;
    this.pipelineName = o.pipelineName;
  }

  open(): void {
    const { invocation, log } = this.o;
    this.write(dim(`> ${this.o.commandLine}`) + '\n\n');
    const cli = invocation.args[0];
    if (!existsSync(cli)) {
      this.write(red(`The mlops CLI is missing at ${cli}. Build the extension (npm run build) and try again.`) + '\n');
      log.error(`CLI not found: ${cli}`);
      this.finish(ExitCode.error);
      return;
    }
    log.info(`run: ${invocation.command} ${invocation.args.join(' ')} (cwd ${invocation.cwd})`);
    this.registration = this.o.sessions.register(this);
    let child: ChildProcess;
    try {
      child = spawn(invocation.command, invocation.args, {
        cwd: invocation.cwd,
        env: invocation.env,
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (e) {
      this.failToStart(e);
      return;
    }
    this.child = child;
    child.stdin?.end();
    child.stdout?.setEncoding('utf8').on('data', (text: string) => this.write(text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => this.write(text));
    this.readEvents(child.stdio[EVENTS_FD] as Readable | null);
    child.on('error', (e) => this.failToStart(e));
    child.on('exit', (code, signal) => {
      this.exitCode = exitCodeOf(code, signal);
      clearTimeout(this.killTimer);
      // 'close' follows once stdout/stderr/fd 3 are drained; don't wait forever for it.
      this.drainTimer = setTimeout(() => this.finish(this.exitCode!), DRAIN_MS);
    });
    child.on('close', (code, signal) => this.finish(this.exitCode ?? exitCodeOf(code, signal)));
  }

  handleInput(data: string): void {
    if (data.includes(CTRL_C)) this.cancel();
  }

  /** VS Code calls this when the terminal is closed or the task is terminated. */
  close(): void {
    this.cancel();
  }

  cancel(): void {
    const child = this.child;
    if (!child || this.finished || child.exitCode !== null || child.signalCode !== null) return;
    if (this.interrupted) {
      // A second Ctrl+C: the user does not want to wait for a clean cancel.
      this.o.log.warn(`run session ${this.id}: killing the CLI`);
      child.kill('SIGKILL');
      return;
    }
    this.interrupted = true;
    this.write('\n' + dim('Canceling… (press Ctrl+C again to kill)') + '\n');
    this.o.log.info(`run session ${this.id}: SIGINT`);
    child.kill('SIGINT');
    this.killTimer = setTimeout(() => {
      if (child.exitCode === null && child.signalCode === null) {
        this.o.log.warn(`run session ${this.id}: no exit ${CANCEL_GRACE_MS} ms after SIGINT, sending SIGKILL`);
        child.kill('SIGKILL');
      }
    }, CANCEL_GRACE_MS);
  }

  private readEvents(stream: Readable | null): void {
    if (!stream) return;
    const lines = new LineBuffer();
    const handle = (line: string) => {
      const event = parseRunEvent(line);
      if (event) this.o.sessions.fire(this, event);
      else this.o.log.debug(`ignored a line on the events fd: ${line.slice(0, 200)}`);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => lines.push(chunk).forEach(handle));
    stream.on('end', () => lines.flush().forEach(handle));
    stream.on('error', (e) => this.o.log.warn(`events fd: ${e.message}`));
  }

  private failToStart(e: unknown): void {
    const message = errorMessage(e);
    this.write(red(`Could not start the mlops CLI: ${message}`) + '\n');
    this.o.log.error(`spawning the CLI failed: ${message}`);
    this.finish(ExitCode.error);
  }

  private finish(code: number): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.killTimer);
    clearTimeout(this.drainTimer);
    this.registration?.dispose();
    this.o.log.info(`run session ${this.id}: exit code ${code}`);
    this.closeEmitter.fire(code);
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  private write(text: string): void {
    if (!this.finished) this.writeEmitter.fire(toTerminalText(text));
  }
}

/** Shell convention for a process ended by a signal: 128 + the signal number (SIGINT → 130). */
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? osConstants.signals[signal] : undefined;
  return n ? 128 + n : 1;
}

import { existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrafficPoint } from '../../shared/monitoring';
import { showError } from '../log';
import { CliProcess, describeExit, refusal, type CliExit } from './cliProcess';
import { parseServeLine, windowSummary, type ServeLine } from './events';
import { cliInvocation, describeCommand, monitorArgs, serveArgs } from './invocation';
import type { ServingSource, ServingStatus } from './source';
import { TrafficHistory } from './trafficHistory';
import { errorMessage } from '../../core/util/errorMessage';

/** Context key for `when` clauses: a server is starting or serving in this window. */
const SERVING_CONTEXT = 'mlops.serving';
/** Stop waits this long for in-flight requests and the log flush before it kills the server. */
const STOP_GRACE_MS = 15_000;

export interface ServingControllerDeps {
  log: vscode.LogOutputChannel;
  /** dist/cli.js of this extension. */
  cliPath: string;
  storePath(): string | undefined;
}

/** The server of one Start Serving, and the monitor beside it. */
interface Session {
  status: ServingStatus;
  server: CliProcess;
  monitor?: CliProcess;
  /** Stop Serving (or dispose) asked it to end: its exit is not a failure. */
  stopping: boolean;
  /** The stop under way. */
  stopped?: Promise<void>;
  /** The status's error is a version that failed to load: the next swap answers it. */
  loadFailed?: boolean;
}

/**
 * Runs `mlops serve --json` for one model at a time in a child process (never in the extension
 * host), reads its JSON-lines events into a status and a window of traffic, and runs `mlops
 * monitor --follow` beside it when `mlops.serve.monitor` is on. Everything the children say goes
 * to the MLOps log except the per-second traffic; a refusal to start (port in use, no such
 * model) or an unexpected exit is an error notification with the CLI's own message.
 */
export class ServingController implements ServingSource, vscode.Disposable {
  private session: Session | undefined;
  private readonly history = new TrafficHistory();
  private readonly statusEmitter = new vscode.EventEmitter<ServingStatus | undefined>();
  private readonly trafficEmitter = new vscode.EventEmitter<TrafficPoint>();
  readonly onDidChangeStatus = this.statusEmitter.event;
  readonly onDidTraffic = this.trafficEmitter.event;
  private disposed = false;
  private context = false;
  private starting: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ServingControllerDeps) {}

  status(): ServingStatus | undefined {
    return this.session && { ...this.session.status };
  }

  /** What the `mlops.serving` context key was last set to (menus show Stop Serving by it). */
  get servingContext(): boolean {
    return this.context;
  }

  /** The process ids of the server and the monitor beside it (for tests). */
  processIds(): { server?: number; monitor?: number } {
    return { server: this.session?.server.pid, monitor: this.session?.monitor?.pid };
  }

  traffic(): readonly TrafficPoint[] {
    return this.session?.status.state === 'serving' ? this.history.points() : [];
  }

  /**
   * Serves `model` (stopping what serves now) and resolves once the server is ready or has failed
   * to start: the status says which, and why.
   */
  start(model: string): Promise<ServingStatus> {
    // One at a time: two quick starts must not leave a server behind that nothing stops.
    const next = this.starting.then(() => this.startNow(model));
    this.starting = next.catch(() => undefined);
    return next;
  }

  private async startNow(model: string): Promise<ServingStatus> {
    await this.stop();
    const { log } = this.deps;
    const storePath = this.deps.storePath();
    const startedAt = Date.now();
    if (this.disposed) return emptyStatus(model, startedAt, 'failed', 'the window is closing');
    const refuse = (message: string): ServingStatus => {
      void showError(log, `cannot serve ${model}: ${message}`);
      return emptyStatus(model, startedAt, 'failed', message);
    };
    if (!storePath) return refuse('open a folder first: the model registry lives in its run store');
    if (!existsSync(this.deps.cliPath)) return refuse(`the mlops CLI is missing at ${this.deps.cliPath}; build the extension (npm run build) and try again`);

    const config = vscode.workspace.getConfiguration('mlops.serve');
    const args = serveArgs({ model, storePath, port: config.get<number>('port', 8501), sampleRate: config.get<number>('sampleRate', 1) });
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(storePath);
    log.info(`serving: ${describeCommand(args)}`);
    this.history.clear();
    let ready!: () => void;
    const started = new Promise<void>((resolve) => (ready = resolve));
    const server = new CliProcess(cliInvocation({ nodePath: process.execPath, cliPath: this.deps.cliPath, args, cwd, baseEnv: process.env }), {
      stdout: (line) => this.onServerLine(session, parseServeLine(line), ready),
      stderr: (line) => log.warn(`serve: ${line}`),
    });
    const session: Session = { status: emptyStatus(model, startedAt, 'starting', null), server, stopping: false };
    this.session = session;
    this.setStatus(session.status);
    void server.exited.then((exit) => {
      this.onServerExit(session, exit);
      ready();
    });
    await started;
    return { ...session.status };
  }

  /** Stops the server (in-flight requests finish, the log is flushed) and the monitor beside it. */
  stop(): Promise<void> {
    const session = this.session;
    if (!session) return Promise.resolve();
    // A second SIGINT would make the CLI exit at once, dropping what is in flight: wait for the first.
    session.stopped ??= this.stopSession(session);
    return session.stopped;
  }

  private async stopSession(session: Session): Promise<void> {
    session.stopping = true;
    if (session.server.running) {
      this.update(session, { state: 'stopping' });
      this.deps.log.info(`serving: stopping ${session.status.model}`);
      await Promise.all([session.monitor?.interrupt(STOP_GRACE_MS), session.server.interrupt(STOP_GRACE_MS)]);
    }
    this.clear(session);
  }

  dispose(): void {
    this.disposed = true;
    const session = this.session;
    if (session) {
      session.stopping = true;
      session.monitor?.terminate();
      session.server.terminate();
    }
    void vscode.commands.executeCommand('setContext', SERVING_CONTEXT, false);
    this.statusEmitter.dispose();
    this.trafficEmitter.dispose();
  }

  private onServerLine(session: Session, line: ServeLine, ready: () => void): void {
    const { log } = this.deps;
    const model = session.status.model;
    switch (line.event) {
      case 'traffic':
        if (this.session !== session) return;
        this.history.add(line.point);
        this.trafficEmitter.fire(line.point);
        return;
      case 'ready':
        log.info(
          `serving ${model}${line.version === null ? ' (no version can be served yet: waiting for a push)' : `@${line.version}`} at ${line.url} from ${line.dir}; request log ${line.logDir}`,
        );
        this.update(session, { state: 'serving', url: line.url, version: line.version, dir: line.dir, logDir: line.logDir });
        ready();
        this.startMonitor(session);
        return;
      case 'loaded':
        log.info(`serve: loaded ${model}@${line.version} in ${Math.round(line.ms)} ms`);
        return;
      case 'load-failed':
        log.warn(`serve: ${model}@${line.version} cannot be served: ${line.error}`);
        session.loadFailed = true;
        this.update(session, { error: `version ${line.version} cannot be served: ${line.error}` });
        return;
      case 'swapped':
        log.info(line.from === null ? `serve: ${model} now serves version ${line.to}` : `serve: ${model} now serves version ${line.to} (was ${line.from})`);
        this.update(session, { version: line.to, ...(session.loadFailed ? { error: null } : {}) });
        session.loadFailed = false;
        return;
      case 'unloaded':
        log.info(`serve: unloaded ${model}@${line.version}`);
        return;
      case 'aliases-error':
      case 'folder-error':
      case 'log-error':
        log.warn(`serve: ${line.error}`);
        return;
      case 'request-error':
        log.error(`serve: internal error while answering a request (answered 500):\n${line.error}`);
        return;
      case 'closed':
        log.info(`serve: ${model} closed`);
        return;
      case 'text':
        log.info(`serve: ${line.text}`);
    }
  }

  private onServerExit(session: Session, exit: CliExit): void {
    const { log } = this.deps;
    const model = session.status.model;
    if (session.stopping || this.disposed) {
      log.info(`serving: ${model} stopped (${describeExit(exit)})`);
      return;
    }
    void session.monitor?.interrupt(STOP_GRACE_MS);
    const message = refusal(exit);
    const wasServing = session.status.state === 'serving';
    log.error(`serving: mlops serve for ${model} ended (${describeExit(exit)}): ${message}`);
    const error = wasServing ? `the server stopped unexpectedly (${describeExit(exit)}): ${message}` : message;
    this.update(session, { state: 'failed', error, monitoring: false });
    void showError(log, wasServing ? `${model} is no longer served: the server stopped (${describeExit(exit)})` : `cannot serve ${model}`, new Error(message));
  }

  private startMonitor(session: Session): void {
    if (!vscode.workspace.getConfiguration('mlops.serve').get<boolean>('monitor', true) || session.stopping) return;
    const { log } = this.deps;
    const { model, logDir } = session.status;
    const storePath = this.deps.storePath();
    if (!storePath || !logDir) return;
    const args = monitorArgs({ model, storePath });
    log.info(`monitoring: ${describeCommand(args)}`);
    // The server writes its log folder with its first rows; the monitor needs it to exist now.
    void fsp
      .mkdir(logDir, { recursive: true })
      .catch((e) => log.warn(`monitoring: cannot create ${logDir}: ${errorMessage(e)}`))
      .then(() => {
        if (session.stopping || !session.server.running || this.session !== session) return;
        const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(storePath);
        const monitor = new CliProcess(cliInvocation({ nodePath: process.execPath, cliPath: this.deps.cliPath, args, cwd, baseEnv: process.env }), {
          stdout: (line) => log.info(`monitor: ${windowSummary(line) ?? line}`),
          stderr: (line) => log.warn(`monitor: ${line}`),
        });
        session.monitor = monitor;
        this.update(session, { monitoring: true });
        void monitor.exited.then((exit) => {
          if (session.stopping || this.disposed || !session.server.running) return;
          const message = refusal(exit);
          log.error(`monitoring: mlops monitor for ${model} ended (${describeExit(exit)}): ${message}`);
          this.update(session, { monitoring: false, error: `monitoring stopped: ${message}` });
        });
      });
  }

  private update(session: Session, change: Partial<ServingStatus>): void {
    if (this.session !== session || this.disposed) return;
    session.status = { ...session.status, ...change };
    this.setStatus(session.status);
  }

  private setStatus(status: ServingStatus | undefined): void {
    if (this.disposed) return;
    this.context = status?.state === 'starting' || status?.state === 'serving';
    void vscode.commands.executeCommand('setContext', SERVING_CONTEXT, this.context);
    this.statusEmitter.fire(status && { ...status });
  }

  /** After Stop Serving: nothing to show any more. */
  private clear(session: Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    this.history.clear();
    this.setStatus(undefined);
  }
}

function emptyStatus(model: string, startedAt: number, state: ServingStatus['state'], error: string | null): ServingStatus {
  return { model, state, url: null, version: null, startedAt, monitoring: false, error, dir: null, logDir: null };
}

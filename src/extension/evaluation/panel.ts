import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { RunDetails } from '../../core/store/types';
import { DEFAULT_ALIAS } from '../../core/registry/refs';
import { isFromWebviewMessage } from '../../shared/evaluation';
import type { EvaluationReport, EvaluationView, FromWebviewMessage, RenderedEvaluation, ToWebviewMessage } from '../../shared/evaluation';
import type { StoreService } from '../store/storeService';
import { saveChart } from '../util/export';
import { type PageMessage, PanelHost } from '../util/panelHost';
import { displayPath } from '../util/paths';
import { buildEvaluationView } from './collect';
import { evaluationArtifact, evaluationFilePath, readEvaluation } from './source';
import { errorMessage } from '../../core/util/errorMessage';

export interface EvaluationPanelDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}

/** What the tests (through the extension API) see of a panel. */
export interface EvaluationPanelInfo {
  runId: number;
  title: string;
  visible: boolean;
  /** The evaluation.json last sent, and a summary of it. */
  file: string | null;
  task: string | null;
  slices: number;
  blessed: boolean | null;
  /** Full views sent. */
  views: number;
  message: string | null;
  rendered: RenderedEvaluation | null;
}

export function evaluationPanelTitle(runId: number): string {
  return `Evaluation · Run #${runId}`;
}

/** Store changes come in bursts while a run goes: look once they settle a little. */
const REFRESH_MS = 300;
/**
 * While the shown run is running, the store is checked this often, so an evaluation written by a
 * run started outside this window (`mlops run` in a terminal) shows within a second or two.
 */
const LIVE_POLL_MS = 1000;

/** The file's modification time; -1 when it cannot be read (the read then says why). */
const modifiedAt = (file: string) =>
  stat(file).then(
    (st) => st.mtimeMs,
    () => -1,
  );

const workspaceRoot = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

/**
 * One run's evaluation in an editor panel. The report is read from disk asynchronously (never on
 * the extension host's hot path) when its artifact appears or changes, and sent whole; everything
 * the user chooses (tab, sort, filter, slice, threshold) lives in the webview's state.
 */
export class EvaluationPanel extends PanelHost<ToWebviewMessage, FromWebviewMessage> {
  /** Identifies what the page shows: artifact, file time and run status. */
  private shown: string | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private livePoll: NodeJS.Timeout | undefined;
  private info: Omit<EvaluationPanelInfo, 'runId' | 'title' | 'visible'> = {
    file: null,
    task: null,
    slices: 0,
    blessed: null,
    views: 0,
    message: null,
    rendered: null,
  };

  constructor(
    panel: vscode.WebviewPanel,
    readonly runId: number,
    private readonly deps: EvaluationPanelDeps,
  ) {
    super(panel, deps.extensionUri, evaluationPanelTitle(runId), { isMessage: isFromWebviewMessage, log: deps.log });
    this.refreshOn([deps.store.onDidChange], () => this.refresh(), REFRESH_MS);
    this.disposables.push({ dispose: () => clearInterval(this.livePoll) });
    this.showPage({ bundle: 'evaluation', data: { 'run-id': String(runId) }, loading: 'Loading the evaluation…' });
  }

  snapshot(): EvaluationPanelInfo {
    return { runId: this.runId, title: this.panel.title, visible: this.panel.visible, ...this.info };
  }

  /** One read at a time; a change during a read asks for one more. */
  private refresh(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.send()
      .catch((e) => this.deps.log.error(`evaluation of run #${this.runId}: ${e instanceof Error ? (e.stack ?? e.message) : e}`))
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  protected pageDiscarded(): void {
    this.shown = undefined;
  }

  protected visibilityChanged(): void {
    this.syncLivePoll(undefined);
  }

  private syncLivePoll(details: RunDetails | undefined): void {
    const running = details ? details.run.status === 'running' : this.livePoll !== undefined;
    const live = !this.disposed && this.panel.visible && running;
    if (live && !this.livePoll) this.livePoll = setInterval(() => this.deps.store.check(), LIVE_POLL_MS);
    if (!live && this.livePoll) {
      clearInterval(this.livePoll);
      this.livePoll = undefined;
    }
  }

  private async send(): Promise<void> {
    if (!this.ready || this.disposed) return;
    const details = this.deps.store.read((s) => s.getRunDetails(this.runId), undefined);
    this.syncLivePoll(details);
    if (!details) return this.empty(`Run #${this.runId} is not in the store (deleted, or the store moved).`);
    const artifact = evaluationArtifact(details);
    if (!artifact) {
      return this.empty(
        details.run.status === 'running'
          ? `Run #${this.runId} has no evaluation yet: it appears here when its evaluate component finishes.`
          : `Run #${this.runId} (${details.run.pipelineName}) has no evaluation. Add an \`evaluate:\` section to the pipeline (it needs \`train:\`) and run it.`,
      );
    }
    const file = evaluationFilePath(artifact.uri, workspaceRoot());
    // The store changes often while runs go: the report is read again only when it (or the run's status) changed.
    const key = `${artifact.id}:${await modifiedAt(file)}:${details.run.status}`;
    if (key === this.shown) return;
    let report: EvaluationReport;
    try {
      report = await readEvaluation(file);
    } catch (e) {
      await this.empty(errorMessage(e));
      // Not read again until the file changes.
      this.shown = key;
      return;
    }
    if (!this.ready || this.disposed) return;
    const view: EvaluationView = buildEvaluationView({
      runId: this.runId,
      pipeline: details.run.pipelineName,
      runStatus: details.run.status,
      file: displayPath(file),
      report,
      registered: this.registeredVersion(),
    });
    this.shown = key;
    this.info = {
      ...this.info,
      file,
      task: view.report.task,
      slices: view.report.slices.length,
      blessed: view.report.blessing.blessed,
      views: this.info.views + 1,
      message: null,
    };
    await this.post({ type: 'view', payload: view });
  }

  /** The version this run registered, if any: the Blessing tab says "already in production" rather than "may be pushed". */
  private registeredVersion(): EvaluationView['registered'] {
    const version = this.deps.store.read((s) => s.modelVersionsOfRun(this.runId)[0], undefined);
    return version && { model: version.model, version: version.version, aliases: version.aliases, inProduction: version.aliases.includes(DEFAULT_ALIAS) };
  }

  private async empty(message: string): Promise<void> {
    if (this.info.message === message && this.shown === undefined) return;
    this.shown = undefined;
    this.info = { ...this.info, file: null, task: null, slices: 0, blessed: null, message };
    await this.post({ type: 'empty', payload: { runId: this.runId, message } });
  }

  protected get logName(): string {
    return `evaluation of run #${this.runId}`;
  }

  protected pageReady(): void {
    this.info.message = null;
    this.refresh();
  }

  protected async handle(message: PageMessage<FromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'exportChart': {
        const { chart, format, data } = message.payload;
        return saveChart(format, data, `run-${this.runId}-${chart}`, `the ${chart} chart of run #${this.runId}`, this.deps.log);
      }
      case 'rendered':
        this.info.rendered = message.payload;
        return;
    }
  }
}

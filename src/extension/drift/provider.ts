import * as vscode from 'vscode';
import type { PageLog } from '../../shared/contract';
import { postToPage, receiveFromPage } from '../util/panelHost';
import { DRIFT_VIEW_ID, isDriftFromWebviewMessage } from '../../shared/drift';
import type { DriftFromWebviewMessage, DriftKind, DriftToWebviewMessage, DriftView } from '../../shared/drift';
import { absolutePath, type RunValidation } from '../anomalies/report';
import { workspaceRoot, type ValidationResults } from '../anomalies/results';
import { isPipelineFile } from '../pipelines/collect';
import type { ReadStore } from '../store/open';
import type { StoreService } from '../store/storeService';
import { debounce } from '../util/debounce';
import { webviewHtml, webviewRoots } from '../util/webviewHtml';
import { choosePipeline, chooseServedModel, compareArgs, driftDescription, pipelineOfFile, servedModels, shownPipelines, toDriftView } from './collect';
import type { Choice, PipelineVersion, ServedModel } from './collect';
import { errorMessage } from '../../core/util/errorMessage';
import { COMMAND_COMPARE_DATASETS, COMMAND_SHOW_MONITORING } from '../commandIds';

const EMPTY_MESSAGE =
  'No validation yet. Run a pipeline whose schema and validate settings compare spans (drift) or training and serving data (skew); its results show here, and the drift of its served traffic once mlops monitor has checked some.';

/** A burst of store commits (a training run's metrics) becomes one re-read. */
const STORE_DEBOUNCE_MS = 300;

/**
 * The Drift side view: drift and skew of the latest validation of one pipeline and the drift of the
 * traffic its model served (the newest window `mlops monitor` checked), glanceable. A webview
 * *view*, re-created when hidden (no retainContextWhenHidden): the page keeps its last data with
 * setState and says `ready`, after which the current data follows.
 */
export class DriftViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private choice: Choice;
  /** The active pipeline file while no run tells which pipeline it is (followed once one does). */
  private editorFile: string | undefined;
  private last: DriftToWebviewMessage | undefined;
  private readonly disposables: vscode.Disposable[];
  private readonly storeChanged = debounce(() => {
    if (this.view?.visible) this.update();
  }, STORE_DEBOUNCE_MS);

  constructor(
    private readonly results: ValidationResults,
    private readonly deps: { log: vscode.LogOutputChannel; extensionUri: vscode.Uri; store: StoreService; openAnomalies(runId: number): void },
  ) {
    this.disposables = [
      this.storeChanged,
      results.onDidChange(() => this.update()),
      deps.store.onDidChange(() => this.storeChanged()),
      vscode.window.onDidChangeActiveTextEditor((e) => this.followEditor(e)),
      vscode.window.registerWebviewViewProvider(DRIFT_VIEW_ID, this),
    ];
    this.followEditor(vscode.window.activeTextEditor, false);
  }

  /** The data the view shows (tests read it); undefined before the first send. */
  get current(): DriftView | undefined {
    return this.last?.type === 'drift' ? this.last.payload : undefined;
  }

  get resolved(): boolean {
    return this.view !== undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.deps.extensionUri) };
    const subscriptions = [
      view.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      view.onDidChangeVisibility(() => {
        // A hidden view's page is usually discarded and says `ready` again when shown; one kept
        // alive gets what it missed here (messages to a hidden page are dropped).
        if (view.visible) this.update(true);
      }),
    ];
    view.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      if (this.view === view) this.view = undefined;
      this.ready = false;
    });
    view.webview.html = webviewHtml(view.webview, this.deps.extensionUri, { bundle: 'drift', title: 'Drift', loading: 'Loading drift…' });
  }

  /** Sends the current data when the page is listening and it changed. */
  update(force = false): void {
    const latest = this.results.latest();
    const { versions, served } = this.readServing();
    this.resolveEditorFile(latest, versions);
    const chosen = choosePipeline(latest, served, this.choice);
    const view =
      chosen &&
      toDriftView({
        pipeline: chosen.pipeline,
        by: chosen.by,
        validation: latest.find((v) => v.pipeline === chosen.pipeline),
        served: chooseServedModel(chosen.pipeline, served),
        pipelines: shownPipelines(latest, served),
        now: Date.now(),
      });
    const message: DriftToWebviewMessage = view ? { type: 'drift', payload: view } : { type: 'empty', payload: { message: EMPTY_MESSAGE } };
    const changed = JSON.stringify(message) !== JSON.stringify(this.last);
    this.last = message;
    if (this.view && this.ready && (changed || force)) void this.post(message);
    if (this.view) this.view.description = view ? driftDescription(view) : undefined;
  }

  /**
   * A row's click: a span row compares its two datasets, a serving row opens the Monitoring panel
   * of the served model.
   */
  async compare(feature: string, kind: DriftKind): Promise<void> {
    const view = this.current;
    const row = view?.rows.find((r) => r.feature === feature && r.kind === kind);
    if (!view || !row) return;
    if (kind === 'serving') {
      if (view.serving) await this.openMonitoring(view.serving.model);
      return;
    }
    if (view.runId !== null) await vscode.commands.executeCommand(COMMAND_COMPARE_DATASETS, compareArgs(view.runId, row));
  }

  async openMonitoring(model: string): Promise<void> {
    await vscode.commands.executeCommand(COMMAND_SHOW_MONITORING, model);
  }

  pick(pipeline: string): void {
    this.choice = { pipeline, by: 'picker' };
    this.editorFile = undefined;
    this.update();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private followEditor(editor: vscode.TextEditor | undefined, refresh = true): void {
    const file = editor?.document.uri.scheme === 'file' ? editor.document.uri.fsPath : undefined;
    if (!file || !isPipelineFile(file)) return;
    this.editorFile = file;
    if (refresh) this.update();
  }

  /** Follows the active pipeline file once a validation or a registered model tells its pipeline. */
  private resolveEditorFile(latest: readonly RunValidation[], versions: readonly PipelineVersion[]): void {
    const pipeline = this.editorFile && pipelineOfFile(this.editorFile, latest, versions);
    if (!pipeline) return;
    this.choice = { pipeline, by: 'editor' };
    this.editorFile = undefined;
  }

  /** Registered versions with the pipeline that trained them, and each pipeline's models with their newest window. */
  private readServing(): { versions: PipelineVersion[]; served: ServedModel[] } {
    const root = workspaceRoot();
    return this.deps.store.read(
      (s) => {
        const versions = registeredVersions(s, root);
        const newest = new Map(
          [...new Set(versions.map((v) => v.model))].flatMap((model) => s.listWindows({ model, limit: 1 }).map((w) => [model, w] as const)),
        );
        return { versions, served: servedModels(versions, newest) };
      },
      { versions: [], served: [] },
    );
  }

  private async post(message: DriftToWebviewMessage): Promise<void> {
    if (this.view) await postToPage(this.view.webview, message, this.deps.log, 'drift view');
  }

  private receive(message: unknown): void {
    receiveFromPage(
      message,
      { isMessage: isDriftFromWebviewMessage, log: this.deps.log },
      'drift view',
      (m) => this.handle(m),
      (e) => {
        const text = errorMessage(e);
        this.deps.log.warn(`drift view: ${text}`);
        void vscode.window.showErrorMessage(`MLOps: ${text}`);
      },
    );
  }

  private async handle(message: Exclude<DriftFromWebviewMessage, PageLog>): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        await this.results.ready;
        this.followEditor(vscode.window.activeTextEditor, false);
        this.update(true);
        return;
      case 'compare':
        await this.compare(message.payload.feature, message.payload.kind);
        return;
      case 'pickPipeline':
        this.pick(message.payload.pipeline);
        return;
      case 'openAnomalies':
        this.deps.openAnomalies(message.payload.runId);
        return;
      case 'openMonitoring':
        await this.openMonitoring(message.payload.model);
        return;
    }
  }
}

function registeredVersions(s: ReadStore, root: string): PipelineVersion[] {
  const runs = new Map<number, { pipeline: string; pipelineFile: string } | undefined>();
  const runOf = (runId: number) => {
    if (!runs.has(runId)) {
      const run = s.getRun(runId);
      runs.set(runId, run && { pipeline: run.pipelineName, pipelineFile: absolutePath(run.pipelineFile, root) });
    }
    return runs.get(runId);
  };
  return s.listModels().flatMap((m) =>
    s.listModelVersions(m.name).flatMap((v) => {
      const run = v.runId === null ? undefined : runOf(v.runId);
      return run ? [{ model: m.name, version: v.version, ...run, production: m.aliases.production === v.version }] : [];
    }),
  );
}

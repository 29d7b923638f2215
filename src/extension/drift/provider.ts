import * as vscode from 'vscode';
import {
  DRIFT_VIEW_ID,
  DriftFromWebviewType,
  DriftToWebviewType,
  isDriftFromWebviewMessage,
  type DriftFromWebviewMessage,
  type DriftKind,
  type DriftToWebviewMessage,
  type DriftView,
} from '../../shared/drift';
import { webviewHtml, webviewRoots } from '../util/webviewHtml';
import type { ValidationResults } from '../anomalies/results';
import { isPipelineFile } from '../pipelines/collect';
import { chooseValidation, compareArgs, toDriftView, type Choice } from './collect';

export const COMMAND_COMPARE_DATASETS = 'mlops.compareDatasets';

const EMPTY_MESSAGE =
  'No validation yet. Run a pipeline whose schema and validate settings compare spans (drift) or training and serving data (skew); its results show here.';

/**
 * The Drift side view: drift and skew of the latest validation of one pipeline, glanceable. A
 * webview *view*, re-created when hidden (no retainContextWhenHidden): the page keeps its last data
 * with setState and says `ready`, after which the current data follows.
 */
export class DriftViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private choice: Choice;
  private last: DriftToWebviewMessage | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly results: ValidationResults,
    private readonly deps: { log: vscode.LogOutputChannel; extensionUri: vscode.Uri; openAnomalies(runId: number): void },
  ) {
    this.disposables = [
      results.onDidChange(() => this.update()),
      vscode.window.onDidChangeActiveTextEditor((e) => this.followEditor(e)),
      vscode.window.registerWebviewViewProvider(DRIFT_VIEW_ID, this),
    ];
    this.followEditor(vscode.window.activeTextEditor, false);
  }

  /** The data the view shows (tests read it); undefined before the first send. */
  get current(): DriftView | undefined {
    return this.last?.type === DriftToWebviewType.Drift ? this.last.payload : undefined;
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
    const chosen = chooseValidation(latest, this.choice);
    const message: DriftToWebviewMessage = chosen
      ? { type: DriftToWebviewType.Drift, payload: toDriftView(chosen.v, latest, chosen.by) }
      : { type: DriftToWebviewType.Empty, payload: { message: EMPTY_MESSAGE } };
    const changed = JSON.stringify(message) !== JSON.stringify(this.last);
    this.last = message;
    if (this.view && this.ready && (changed || force)) void this.post(message);
    if (this.view) this.view.description = chosen ? `${chosen.v.pipeline} · run #${chosen.v.runId}` : undefined;
  }

  /** Runs the dataset comparison for a row (the click on a feature). */
  async compare(feature: string, kind: DriftKind): Promise<void> {
    const view = this.current;
    const row = view?.rows.find((r) => r.feature === feature && r.kind === kind);
    if (!view || !row) return;
    await vscode.commands.executeCommand(COMMAND_COMPARE_DATASETS, compareArgs(view.runId, row));
  }

  pick(pipeline: string): void {
    this.choice = { pipeline, by: 'picker' };
    this.update();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private followEditor(editor: vscode.TextEditor | undefined, refresh = true): void {
    const file = editor?.document.uri.scheme === 'file' ? editor.document.uri.fsPath : undefined;
    if (!file || !isPipelineFile(file)) return;
    const v = this.results.latest().find((l) => l.pipelineFile === file);
    if (!v || (this.choice?.pipeline === v.pipeline && this.choice.by === 'editor')) return;
    this.choice = { pipeline: v.pipeline, by: 'editor' };
    if (refresh) this.update();
  }

  private async post(message: DriftToWebviewMessage): Promise<void> {
    try {
      await this.view?.webview.postMessage(message);
    } catch (e) {
      this.deps.log.warn(`drift view: postMessage failed: ${e instanceof Error ? e.message : e}`);
    }
  }

  private receive(message: unknown): void {
    if (!isDriftFromWebviewMessage(message)) {
      this.deps.log.warn(`drift view: ignored an invalid message ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    this.handle(message).catch((e: unknown) => {
      const text = e instanceof Error ? e.message : String(e);
      this.deps.log.warn(`drift view: ${text}`);
      void vscode.window.showErrorMessage(`MLOps: ${text}`);
    });
  }

  private async handle(message: DriftFromWebviewMessage): Promise<void> {
    switch (message.type) {
      case DriftFromWebviewType.Ready:
        this.ready = true;
        await this.results.ready;
        this.followEditor(vscode.window.activeTextEditor, false);
        this.update(true);
        return;
      case DriftFromWebviewType.Compare:
        await this.compare(message.payload.feature, message.payload.kind);
        return;
      case DriftFromWebviewType.PickPipeline:
        this.pick(message.payload.pipeline);
        return;
      case DriftFromWebviewType.OpenAnomalies:
        this.deps.openAnomalies(message.payload.runId);
        return;
      case DriftFromWebviewType.Log:
        this.deps.log[message.payload.level](`drift webview: ${message.payload.message}`);
        return;
    }
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { isFromWebviewMessage, type FromWebviewMessage, type RunDetailsView, type ToWebviewMessage } from '../../shared/runDetails';
import { openArtifact, revealArtifact } from '../runs/artifacts';
import type { StoreService } from '../store/storeService';
import { displayPath, toUri } from '../util/paths';
import { sameView, toRunDetailsView } from './collect';
import { type PageMessage, PanelHost } from '../util/panelHost';

export interface RunDetailsPanelDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}

/** Title of a run's panel, also how tests and users find it among the tabs. */
export function runPanelTitle(runId: number): string {
  return `Run #${runId}`;
}

/**
 * One run's details in an editor panel. Sends data only after the webview's `ready`, re-sends when
 * the store changes (a running run fills in as it goes) while visible, and catches up when it is
 * shown again; the webview keeps its last data with setState so hiding costs no round trip.
 */
/** What a run-details panel is, for tests and for commands acting on "the current run". */
export interface RunDetailsPanelInfo {
  runId: number;
  title: string;
  visible: boolean;
  active: boolean;
}

export class RunDetailsPanel extends PanelHost<ToWebviewMessage, FromWebviewMessage> {
  private stale = false;
  private lastView: RunDetailsView | undefined;
  private artifactUris = new Map<number, string>();
  /** Absolute path of the run's pipeline file (the view shows it workspace-relative). */
  private pipelineFile: string | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    readonly runId: number,
    private readonly deps: RunDetailsPanelDeps,
  ) {
    super(panel, deps.extensionUri, runPanelTitle(runId), { isMessage: isFromWebviewMessage, log: deps.log });
    this.disposables.push(deps.store.onDidChange(() => this.update()));
    // The page knows its run from the start, so even a panel reloaded before the first data arrives
    // restores the right run.
    this.showPage({ bundle: 'run-details', data: { 'run-id': String(runId) }, loading: 'Loading run…' });
  }

  /** Re-reads the run and sends it if it changed; deferred while hidden or before `ready`. */
  protected visibilityChanged(): void {
    if (this.panel.visible && this.stale) this.update();
  }

  update(): void {
    if (!this.ready || !this.panel.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const details = this.deps.store.read((s) => s.getRunDetails(this.runId), undefined);
    if (!details) {
      this.lastView = undefined;
      void this.post({
        type: 'notFound',
        payload: { runId: this.runId, message: `Run #${this.runId} is not in the store (deleted, or the store moved).` },
      });
      return;
    }
    // The store keeps paths absolute or relative to the workspace (its root).
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const absolute = (p: string) => (/^[a-z][a-z0-9+.-]+:\/\//i.test(p) ? toUri(p).fsPath : path.resolve(root, p));
    const view = toRunDetailsView(details, (p) => displayPath(absolute(p)), Date.now());
    this.pipelineFile = absolute(details.run.pipelineFile);
    this.artifactUris = new Map(details.artifacts.map((a) => [a.id, a.uri]));
    if (sameView(this.lastView, view)) return;
    this.lastView = view;
    void this.post({ type: 'details', payload: view });
  }

  /**
   * The extension is shutting down: drop listeners but leave the panel open, so that VS Code
   * restores it (through the serializer) in the next session.
   */

  snapshot(): RunDetailsPanelInfo {
    return { runId: this.runId, title: this.panel.title, visible: this.panel.visible, active: this.panel.active };
  }

  protected get logName(): string {
    return `run #${this.runId} panel`;
  }

  protected pageReady(): void {
    this.lastView = undefined;
    this.update();
  }

  protected async handle(message: PageMessage<FromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'openArtifact':
      case 'revealArtifact': {
        const uri = this.artifactUris.get(message.payload.artifactId);
        if (!uri) return;
        await (message.type === 'openArtifact' ? openArtifact(uri) : revealArtifact(uri));
        return;
      }
      case 'openPipelineFile':
        if (this.pipelineFile) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(this.pipelineFile));
        return;
    }
  }
}

import * as vscode from 'vscode';
import { isRunDetailsState, RUN_DETAILS_VIEW_TYPE } from '../../../shared/runDetails';
import { webviewRoots } from '../../util/webviewHtml';
import { RunDetailsPanel, runPanelTitle, type RunDetailsPanelDeps } from './panel';

/**
 * Opens run-details panels, one per run (opening the same run again reveals its panel), and
 * restores them after a reload: the webview's saved state names the run.
 */
export class RunDetailsPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<number, RunDetailsPanel>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: RunDetailsPanelDeps) {
    this.registration = vscode.window.registerWebviewPanelSerializer(RUN_DETAILS_VIEW_TYPE, this);
  }

  async open(runId: number): Promise<void> {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(RUN_DETAILS_VIEW_TYPE, runPanelTitle(runId), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    });
    this.attach(panel, runId);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isRunDetailsState(state)) {
      this.deps.log.warn('a run-details panel without a saved run was closed on restore');
      panel.dispose();
      return;
    }
    const other = this.panels.get(state.runId);
    if (other) {
      // Two restored panels for one run (an older build allowed it): keep the first.
      panel.dispose();
      other.reveal();
      return;
    }
    this.attach(panel, state.runId);
  }

  /** Open panels, for tests and for commands acting on "the current run". */
  openPanels(): { runId: number; title: string; visible: boolean; active: boolean }[] {
    return [...this.panels.values()].map((p) => ({ runId: p.runId, title: p.panel.title, visible: p.panel.visible, active: p.panel.active }));
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of [...this.panels.values()]) p.detach();
    this.panels.clear();
  }

  private attach(panel: vscode.WebviewPanel, runId: number): void {
    const p = new RunDetailsPanel(panel, runId, this.deps);
    this.panels.set(runId, p);
    p.onDidDispose(() => {
      if (this.panels.get(runId) === p) this.panels.delete(runId);
    });
  }
}

import * as vscode from 'vscode';
import { ANOMALIES_VIEW_TYPE, isAnomaliesState } from '../../shared/anomalies';
import { webviewRoots } from '../util/webviewHtml';
import { AnomaliesPanel, anomaliesPanelTitle, type AnomaliesPanelDeps } from './panel';

/** Anomalies panels, one per run, restored after a reload from the webview's saved run id. */
export class AnomaliesPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<number, AnomaliesPanel>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: AnomaliesPanelDeps) {
    this.registration = vscode.window.registerWebviewPanelSerializer(ANOMALIES_VIEW_TYPE, this);
  }

  open(runId: number): void {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(ANOMALIES_VIEW_TYPE, anomaliesPanelTitle(runId), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    });
    this.attach(panel, runId);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isAnomaliesState(state) || this.panels.has(state.runId)) {
      panel.dispose();
      if (isAnomaliesState(state)) this.panels.get(state.runId)?.reveal();
      return;
    }
    this.attach(panel, state.runId);
  }

  /** Open panels with what they last sent, for tests and "the current run" commands. */
  openPanels() {
    return [...this.panels.values()].map((p) => ({ runId: p.runId, title: p.panel.title, visible: p.panel.visible, view: p.view }));
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of [...this.panels.values()]) p.detach();
    this.panels.clear();
  }

  private attach(panel: vscode.WebviewPanel, runId: number): void {
    const p = new AnomaliesPanel(panel, runId, this.deps);
    this.panels.set(runId, p);
    p.onDidDispose(() => {
      if (this.panels.get(runId) === p) this.panels.delete(runId);
    });
  }
}

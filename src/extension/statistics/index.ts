import * as vscode from 'vscode';
import { isStatisticsState, STATISTICS_VIEW_TYPE } from '../../shared/statistics';
import { webviewRoots } from '../util/webviewHtml';
import { StatisticsPanel, statisticsPanelTitle, type Selection, type StatisticsPanelDeps, type StatisticsPanelInfo } from './panel';

/**
 * Statistics panels, one per run (opening the same run again reveals it, switching datasets when
 * asked), restored after a reload from the webview's saved state.
 */
export class StatisticsPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<number, StatisticsPanel>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: StatisticsPanelDeps) {
    this.registration = vscode.window.registerWebviewPanelSerializer(STATISTICS_VIEW_TYPE, this);
  }

  open(runId: number, selection?: Selection): void {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.reveal(selection);
      return;
    }
    const panel = vscode.window.createWebviewPanel(STATISTICS_VIEW_TYPE, statisticsPanelTitle(runId), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    });
    this.attach(panel, runId, selection);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isStatisticsState(state)) {
      this.deps.log.warn('a statistics panel without a saved run was closed on restore');
      panel.dispose();
      return;
    }
    const other = this.panels.get(state.runId);
    if (other) {
      panel.dispose();
      other.reveal();
      return;
    }
    // The page restores its own datasets, sort and filter and names them in `ready`.
    this.attach(panel, state.runId);
  }

  /** Open panels, for tests. */
  openPanels(): StatisticsPanelInfo[] {
    return [...this.panels.values()].map((p) => p.snapshot());
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of [...this.panels.values()]) p.detach();
    this.panels.clear();
  }

  private attach(panel: vscode.WebviewPanel, runId: number, selection?: Selection): void {
    const p = new StatisticsPanel(panel, runId, this.deps, selection);
    this.panels.set(runId, p);
    p.onDidDispose(() => {
      if (this.panels.get(runId) === p) this.panels.delete(runId);
    });
  }
}

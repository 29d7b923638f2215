import * as vscode from 'vscode';
import { isMonitoringState, MONITORING_VIEW_TYPE } from '../../shared/monitoring';
import { webviewRoots } from '../util/webviewHtml';
import { MonitoringPanel, monitoringPanelTitle, type MonitoringPanelDeps, type MonitoringPanelInfo } from './panel';

export type { MonitoringPanelInfo };

/**
 * Monitoring panels, one per model: asking for a model again reveals its panel. Restored after a
 * reload from the model the page saved in its state.
 */
export class MonitoringPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, MonitoringPanel>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: MonitoringPanelDeps) {
    this.registration = vscode.window.registerWebviewPanelSerializer(MONITORING_VIEW_TYPE, this);
  }

  open(model: string): void {
    const existing = this.panels.get(model);
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(MONITORING_VIEW_TYPE, monitoringPanelTitle(model), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    });
    this.attach(panel, model);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isMonitoringState(state) || this.panels.has(state.model)) {
      if (!isMonitoringState(state)) this.deps.log.warn('a monitoring panel without a saved model was closed on restore');
      panel.dispose();
      return;
    }
    this.attach(panel, state.model);
  }

  /** Open panels, for tests. */
  openPanels(): MonitoringPanelInfo[] {
    return [...this.panels.values()].map((p) => p.snapshot());
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of this.panels.values()) p.detach();
    this.panels.clear();
  }

  private attach(panel: vscode.WebviewPanel, model: string): void {
    const p = new MonitoringPanel(panel, model, this.deps, (from, to) => this.retarget(from, to));
    this.panels.set(model, p);
    p.onDidDispose(() => {
      if (this.panels.get(p.model) === p) this.panels.delete(p.model);
    });
  }

  /** The page picked another model: reveal its panel when one is open, else show it in this one. */
  private retarget(panel: MonitoringPanel, model: string): void {
    const existing = this.panels.get(model);
    if (existing) {
      existing.reveal();
      return;
    }
    if (this.panels.get(panel.model) === panel) this.panels.delete(panel.model);
    panel.retarget(model);
    this.panels.set(model, panel);
  }
}

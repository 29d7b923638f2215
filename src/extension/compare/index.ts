import * as vscode from 'vscode';
import { COMPARE_VIEW_TYPE, isCompareState, sourceKey, type CompareSource } from '../../shared/compare';
import { webviewRoots } from '../util/webviewHtml';
import { ComparePanel, comparePanelTitle, type ComparePanelDeps, type ComparePanelInfo } from './panel';

/**
 * Compare panels, one per source (the ticked runs, a fixed set, a tuning run's trials): asking for
 * the same comparison again reveals its panel. Restored after a reload from the source the page
 * saved in its state.
 */
export class ComparePanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, ComparePanel>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: ComparePanelDeps) {
    this.registration = vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, this);
  }

  open(source: CompareSource): void {
    const existing = this.panels.get(sourceKey(source));
    if (existing) {
      existing.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, comparePanelTitle(source), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    });
    this.attach(panel, source);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isCompareState(state) || this.panels.has(sourceKey(state.source))) {
      if (!isCompareState(state)) this.deps.log.warn('a compare panel without a saved source was closed on restore');
      panel.dispose();
      return;
    }
    this.attach(panel, state.source);
  }

  /** The compare panel in front (the focused one, else the only one open). */
  active(): ComparePanel | undefined {
    const all = [...this.panels.values()];
    return all.find((p) => p.panel.active) ?? (all.length === 1 ? all[0] : undefined);
  }

  /** Open panels, for tests. */
  openPanels(): ComparePanelInfo[] {
    return [...this.panels.values()].map((p) => p.snapshot());
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of this.panels.values()) p.detach();
    this.panels.clear();
  }

  private attach(panel: vscode.WebviewPanel, source: CompareSource): void {
    const key = sourceKey(source);
    const p = new ComparePanel(panel, source, this.deps);
    this.panels.set(key, p);
    p.onDidDispose(() => {
      if (this.panels.get(key) === p) this.panels.delete(key);
    });
  }
}

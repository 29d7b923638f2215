import * as vscode from 'vscode';
import { webviewRoots } from './webviewHtml';

/** A webview panel showing one run: what the registry needs of it. */
export interface RunPanel<Option> {
  readonly runId: number;
  readonly panel: vscode.WebviewPanel;
  readonly onDidDispose: vscode.Event<void>;
  reveal(option?: Option): void;
  /** Extension shutdown: drop listeners but keep the panel, so the serializer restores it. */
  detach(): void;
}

export interface RunPanelsOptions<P extends RunPanel<Option>, Option> {
  viewType: string;
  /** What the panel is, for the log: `run-details`, `statistics`, ... */
  kind: string;
  title(runId: number): string;
  /** The webview's saved state, which names the run it showed. */
  isState(state: unknown): state is { runId: number };
  create(panel: vscode.WebviewPanel, runId: number, option?: Option): P;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/**
 * One panel per run for a view type: opening a run again reveals its panel, and panels come back
 * after a reload through the serializer (the webview's saved state names the run). Every panel
 * kind (run details, statistics, anomalies) shares this lifecycle.
 */
export class RunPanels<P extends RunPanel<Option>, Option = void> implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<number, P>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly o: RunPanelsOptions<P, Option>) {
    this.registration = vscode.window.registerWebviewPanelSerializer(o.viewType, this);
  }

  open(runId: number, option?: Option): void {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.reveal(option);
      return;
    }
    const panel = vscode.window.createWebviewPanel(this.o.viewType, this.o.title(runId), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: webviewRoots(this.o.extensionUri),
    });
    this.attach(panel, runId, option);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!this.o.isState(state)) {
      this.o.log.warn(`a ${this.o.kind} panel without a saved run was closed on restore`);
      panel.dispose();
      return;
    }
    const other = this.panels.get(state.runId);
    if (other) {
      // Two restored panels for one run: keep the first.
      panel.dispose();
      other.reveal();
      return;
    }
    // The page restores its own view state (datasets, sort, filter) and names it in `ready`.
    this.attach(panel, state.runId);
  }

  list(): P[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of this.list()) p.detach();
    this.panels.clear();
  }

  private attach(panel: vscode.WebviewPanel, runId: number, option?: Option): void {
    const p = this.o.create(panel, runId, option);
    this.panels.set(runId, p);
    p.onDidDispose(() => {
      if (this.panels.get(runId) === p) this.panels.delete(runId);
    });
  }
}

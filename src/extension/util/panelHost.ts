import * as vscode from 'vscode';
import { webviewHtml, webviewRoots } from './webviewHtml';

export interface PanelPage {
  /** The bundle in dist/webview the page loads. */
  bundle: string;
  data?: Record<string, string>;
  loading: string;
}

/**
 * What every MLOps webview panel shares: its title and icon, the strict-CSP page, the messages it
 * receives, and a lifecycle where closing the panel disposes everything while extension shutdown
 * only detaches (the panel stays for the serializer to restore after a reload).
 */
export abstract class PanelHost implements vscode.Disposable {
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  protected disposed = false;
  /**
   * The page has said `ready`. Hidden, a panel's page is discarded (no retainContextWhenHidden); shown
   * again, it restores from its saved state and says `ready` once more. This is not reset on hide:
   * the new page's `ready` and the view-state events come through different channels, so a quick
   * hide and show can deliver the `ready` first, and a reset would then leave the page waiting.
   */
  protected ready = false;
  /** Listeners and timers of the panel: disposed on close and on detach. */
  protected readonly disposables: vscode.Disposable[] = [this.disposeEmitter];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    title: string,
  ) {
    panel.title = title;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'mlops.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.pageDiscarded();
        this.visibilityChanged();
      }),
    );
  }

  /** The page was discarded (the panel was hidden): forget what it showed. */
  protected pageDiscarded(): void {}

  /** Hidden or shown (after `pageDiscarded` when hidden): start or stop what only a visible panel needs. */
  protected visibilityChanged(): void {}

  /** A message from the page, not yet validated. */
  protected abstract receive(message: unknown): unknown;

  /** Loads the page; call it once the subclass listens to everything the page may trigger. */
  protected showPage(page: PanelPage): void {
    this.panel.webview.html = webviewHtml(this.panel.webview, this.extensionUri, { ...page, title: this.panel.title });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposeEmitter.fire();
    this.detach();
    this.panel.dispose();
  }

  /** Extension shutdown: drop listeners, leave the panel for the serializer to restore. */
  detach(): void {
    if (this.disposed) return;
    this.disposed = true;
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

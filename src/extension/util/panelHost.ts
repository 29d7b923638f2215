import * as vscode from 'vscode';
import { isPageLog, type PageLog } from '../../shared/contract';
import { errorMessage } from '../../core/util/errorMessage';
import { debounce } from './debounce';
import { webviewHtml, webviewRoots } from './webviewHtml';

export interface PanelPage {
  /** The bundle in dist/webview the page loads. */
  bundle: string;
  data?: Record<string, string>;
  loading: string;
}

/** How a panel reads its page's messages, and where it writes about them. */
export interface PanelChannel<From> {
  /** The contract's check of a message from the page: one that fails is logged and dropped. */
  isMessage(m: unknown): m is From;
  log: vscode.LogOutputChannel;
}

/**
 * What every MLOps webview panel shares: its title and icon, the strict-CSP page, and its messages:
 * posting (a failure is logged), checking what arrives against the contract, writing the page's own
 * log lines, and logging what a handler throws. Closing the panel disposes everything; extension
 * shutdown only detaches (the panel stays for the serializer to restore after a reload). A subclass
 * writes only what is its own: `handle` for its messages and `logName` for its log lines.
 */
export abstract class PanelHost<To, From> implements vscode.Disposable {
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
    private readonly channel: PanelChannel<From>,
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

  reveal(_option?: unknown): void {
    this.panel.reveal();
  }

  /**
   * Calls `refresh`, debounced by `ms`, after each of `events` while the page is up and visible: a
   * hidden page is rebuilt anyway when it is shown again (its `ready`).
   */
  protected refreshOn(events: vscode.Event<unknown>[], refresh: () => void, ms: number): void {
    const scheduled = debounce(refresh, ms);
    const changed = () => {
      if (this.ready && this.panel.visible) scheduled();
    };
    this.disposables.push(scheduled, ...events.map((event) => event(changed)));
  }

  /** The page was discarded (the panel was hidden): forget what it showed. */
  protected pageDiscarded(): void {}

  /** Hidden or shown (after `pageDiscarded` when hidden): start or stop what only a visible panel needs. */
  protected visibilityChanged(): void {}

  /** The panel as its log lines name it ("statistics of run #3"). */
  protected abstract get logName(): string;

  /**
   * The page (a new one, or one shown again after hiding) said `ready`: what the old page showed is
   * forgotten already (`pageDiscarded`); send the new one everything.
   */
  protected abstract pageReady(message: ReadyMessage<From>): unknown;

  /** Any other checked message from the page (its log lines are written already). */
  protected abstract handle(message: PageMessage<From>): unknown;

  /** What a handler threw: a bug, logged with its stack. */
  protected handleFailed(e: unknown): void {
    this.channel.log.error(`${this.logName}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }

  protected post(message: To): Promise<void> {
    return postToPage(this.panel.webview, message, this.channel.log, this.logName);
  }

  private receive(message: unknown): void {
    receiveFromPage(
      message,
      this.channel,
      this.logName,
      (m) => {
        if (!isReady(m)) return this.handle(m as PageMessage<From>);
        this.ready = true;
        this.pageDiscarded();
        return this.pageReady(m);
      },
      (e) => this.handleFailed(e),
    );
  }

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

/** The handshake every page starts with (webview/common/boot.ts): it is listening now. */
export type ReadyMessage<From> = Extract<From, { type: 'ready' }>;

/** What a panel's `handle` gets: the page's messages but its log line and `ready`. */
export type PageMessage<From> = Exclude<From, PageLog | ReadyMessage<From>>;

function isReady<From>(m: From): m is ReadyMessage<From> {
  return (m as { type?: unknown }).type === 'ready';
}

/** Posts to a page; a page that is gone is a line in the log, not an error. */
export async function postToPage(webview: vscode.Webview, message: unknown, log: vscode.LogOutputChannel, name: string): Promise<void> {
  try {
    await webview.postMessage(message);
  } catch (e) {
    log.warn(`${name}: postMessage failed: ${errorMessage(e)}`);
  }
}

/**
 * A message from a page (a panel's or a view's): checked against the contract (an invalid one is
 * logged and dropped), written to the log when it is the page's log line, else handed to `handle`,
 * whose failure goes to `failed`.
 */
export function receiveFromPage<From>(
  message: unknown,
  channel: PanelChannel<From>,
  name: string,
  handle: (m: Exclude<From, PageLog>) => unknown,
  failed: (e: unknown) => void,
): void {
  if (!channel.isMessage(message)) {
    channel.log.warn(`${name}: ignored an invalid message ${JSON.stringify(message)?.slice(0, 200)}`);
    return;
  }
  if (isPageLog(message)) {
    channel.log[message.payload.level](`${name} webview: ${message.payload.message}`);
    return;
  }
  try {
    const handled = handle(message as Exclude<From, PageLog>);
    if (handled instanceof Promise) handled.catch(failed);
  } catch (e) {
    failed(e);
  }
}

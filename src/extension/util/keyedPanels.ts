import * as vscode from 'vscode';
import { webviewRoots } from './webviewHtml';

/** A webview panel showing one subject (a run, a comparison, a model): what the registry needs of it. */
export interface KeyedPanel<Option> {
  readonly panel: vscode.WebviewPanel;
  readonly onDidDispose: vscode.Event<void>;
  reveal(option?: Option): void;
  /** What the panel last showed, for tests and for commands acting on "the current one". */
  snapshot(): unknown;
  /** Extension shutdown: drop listeners but keep the panel, so the serializer restores it. */
  detach(): void;
}

/** What a panel registry needs of the extension. */
export interface PanelRegistryDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

export interface KeyedPanelsOptions<Subject, Key, P extends KeyedPanel<Option>, Option> {
  viewType: string;
  /** One panel per key: the same subject asked for again reveals its panel. */
  keyOf(subject: Subject): Key;
  title(subject: Subject): string;
  /** The subject the webview's saved state names, if it names one. */
  subjectOfState(state: unknown): Subject | undefined;
  create(panel: vscode.WebviewPanel, subject: Subject, option?: Option): P;
}

/**
 * One panel per subject for a view type: opening a subject again reveals its panel, and panels come
 * back after a reload through the serializer (the webview's saved state names the subject). Every
 * panel kind shares this lifecycle.
 */
export class KeyedPanels<Subject, Key, P extends KeyedPanel<Option>, Option = void> implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<Key, P>();
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly deps: PanelRegistryDeps,
    private readonly o: KeyedPanelsOptions<Subject, Key, P, Option>,
  ) {
    this.registration = vscode.window.registerWebviewPanelSerializer(o.viewType, this);
  }

  open(subject: Subject, option?: Option): void {
    const existing = this.panels.get(this.o.keyOf(subject));
    if (existing) {
      existing.reveal(option);
      return;
    }
    const panel = vscode.window.createWebviewPanel(this.o.viewType, this.o.title(subject), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: webviewRoots(this.deps.extensionUri),
    });
    this.attach(panel, subject, option);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const subject = this.o.subjectOfState(state);
    if (subject === undefined) {
      this.deps.log.warn(`a ${this.o.viewType} panel without a saved subject was closed on restore`);
      panel.dispose();
      return;
    }
    const other = this.panels.get(this.o.keyOf(subject));
    if (other) {
      // Two restored panels for one subject: keep the first.
      panel.dispose();
      other.reveal();
      return;
    }
    // The page restores its own view state (datasets, sort, filter) and names it in `ready`.
    this.attach(panel, subject);
  }

  get(key: Key): P | undefined {
    return this.panels.get(key);
  }

  list(): P[] {
    return [...this.panels.values()];
  }

  /** What each open panel shows, for tests and for commands acting on "the current one". */
  openPanels(): ReturnType<P['snapshot']>[] {
    return this.list().map((p) => p.snapshot() as ReturnType<P['snapshot']>);
  }

  /** The panel now shows another subject: it is found under that one's key. */
  rekey(p: P, subject: Subject): void {
    this.forget(p);
    this.panels.set(this.o.keyOf(subject), p);
  }

  dispose(): void {
    this.registration.dispose();
    for (const p of this.list()) p.detach();
    this.panels.clear();
  }

  private attach(panel: vscode.WebviewPanel, subject: Subject, option?: Option): void {
    const p = this.o.create(panel, subject, option);
    this.panels.set(this.o.keyOf(subject), p);
    p.onDidDispose(() => this.forget(p));
  }

  private forget(p: P): void {
    for (const [key, value] of this.panels) if (value === p) this.panels.delete(key);
  }
}

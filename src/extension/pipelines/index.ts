import * as vscode from 'vscode';
import { parsePipeline } from '../../core/pipeline/load';
import { debounce, KeyedDebouncer } from '../util/debounce';
import { relativeToFolder } from '../util/paths';
import { PIPELINE_GLOB, PIPELINE_SEARCH_EXCLUDE, sortEntries, toPipelineEntry, type PipelineEntry } from './collect';
import { errorMessage } from '../../core/util/errorMessage';

/**
 * The pipeline files of the workspace, parsed from disk (what the CLI would run) and kept current by a
 * file watcher. Tasks, the Pipelines tree, quick picks and diagnostics of unopened files read it.
 */
export class PipelineIndex implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChange = this._onDidChange.event;
  /** Resolves after the first scan, so callers (tasks, tests) never see an empty list by accident. */
  readonly ready: Promise<void>;

  private readonly entries = new Map<string, PipelineEntry>();
  private readonly reparse = new KeyedDebouncer<string>(100);
  private readonly fireChange = debounce(() => this._onDidChange.fire(), 50);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(PIPELINE_GLOB);
    const update = (uri: vscode.Uri) => this.reparse.schedule(uri.fsPath, () => void this.load(uri));
    watcher.onDidCreate(update);
    watcher.onDidChange(update);
    watcher.onDidDelete((uri) => {
      this.reparse.cancel(uri.fsPath);
      if (this.entries.delete(uri.fsPath)) this.fireChange();
    });
    this.disposables.push(
      watcher,
      this.reparse,
      this.fireChange,
      this._onDidChange,
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
    );
    this.ready = this.rescan();
  }

  list(): PipelineEntry[] {
    return sortEntries(this.entries.values());
  }

  get(fsPath: string): PipelineEntry | undefined {
    return this.entries.get(fsPath);
  }

  /** Finds every pipeline file again (the Refresh command, workspace folder changes). */
  async rescan(): Promise<void> {
    try {
      const uris = await vscode.workspace.findFiles(PIPELINE_GLOB, PIPELINE_SEARCH_EXCLUDE);
      const found = new Set(uris.map((u) => u.fsPath));
      for (const key of [...this.entries.keys()]) if (!found.has(key)) this.entries.delete(key);
      await Promise.all(uris.map((u) => this.load(u, false)));
      this.log.info(`found ${this.entries.size} pipeline file(s)`);
    } catch (e) {
      this.log.error('scanning for pipeline files failed', e instanceof Error ? e : String(e));
    }
    this.fireChange();
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private async load(uri: vscode.Uri, notify = true): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return;
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const parsed = parsePipeline(text, uri.fsPath);
      this.entries.set(uri.fsPath, toPipelineEntry(uri.fsPath, relativeToFolder(folder, uri), folder.index, text, parsed));
    } catch (e) {
      // Gone between the event and the read, or unreadable: it is not a pipeline we can offer.
      this.entries.delete(uri.fsPath);
      this.log.warn(`cannot read ${uri.fsPath}: ${errorMessage(e)}`);
    }
    if (notify) this.fireChange();
  }
}

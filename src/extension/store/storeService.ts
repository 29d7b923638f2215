import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { debounce } from '../util/debounce';
import { resolveStorePath, STORE_PATH_SETTING } from '../workspace/settings';
import { storeExists } from '../../core/store';
import { openReadonly, type ReadStore } from './open';
import { errorMessage } from '../../core/util/errorMessage';

/**
 * The extension's read side of the run store: one readonly connection, opened when the file exists,
 * and an `onDidChange` that fires only when the data really changed. A file watcher on
 * `store.sqlite*` (the database and its WAL) tells us *something* happened; the store's cheap
 * `dataVersion()` tells us whether it was a commit, so views never re-query on a checkpoint or a
 * read-lock touch.
 */
const POLL_MS = 3000;

export class StoreService implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** Fired after the store's contents (or its location) changed. */
  readonly onDidChange = this._onDidChange.event;

  private store: ReadStore | undefined;
  private version: string | undefined;
  private file: string | undefined;
  private watcher: vscode.Disposable | undefined;
  private openFailureLogged = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly scheduleCheck = debounce(() => this.check(), 150);

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.setPath(resolveStorePath());
    this.disposables.push(
      this._onDidChange,
      this.scheduleCheck,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(STORE_PATH_SETTING)) this.relocate();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.relocate()),
    );
  }

  /** Absolute path of the store file, or undefined without a workspace folder. */
  get path(): string | undefined {
    return this.file;
  }

  /** The readonly connection, opened on first use; undefined while there is no store file. */
  current(): ReadStore | undefined {
    if (this.store) return this.store;
    if (!this.file || !storeExists(this.file)) return undefined;
    try {
      // `version` stays as it was (undefined while there was no connection), so the next check()
      // reports the store's appearance as a change.
      this.store = openReadonly(this.file);
      this.openFailureLogged = false;
      this.log.info(`store opened (readonly): ${this.file}`);
    } catch (e) {
      if (!this.openFailureLogged) this.log.warn(`cannot open the store ${this.file}: ${errorMessage(e)}`);
      this.openFailureLogged = true;
      this.store = undefined;
    }
    return this.store;
  }

  /**
   * Runs a query; a store that is missing, locked or broken yields `fallback` (logged) instead of an
   * exception in a tree provider. The connection is dropped on error so the next call reopens it.
   */
  read<T>(query: (store: ReadStore) => T, fallback: T): T {
    const store = this.current();
    if (!store) return fallback;
    try {
      return query(store);
    } catch (e) {
      this.log.warn(`store query failed: ${errorMessage(e)}`);
      this.closeConnection();
      return fallback;
    }
  }

  /** Something may have changed (a file event, a run event): check soon, coalescing bursts. */
  poke(): void {
    this.scheduleCheck();
  }

  /** Checks at once and fires when the data changed; `force` fires regardless (the Refresh command). */
  check(force = false): boolean {
    if (this.store && this.file && !existsSync(this.file)) this.closeConnection();
    const store = this.current();
    const version = store ? this.readVersion(store) : undefined;
    const changed = force || version !== this.version;
    this.version = version;
    if (changed) this._onDidChange.fire();
    return changed;
  }

  /**
   * Also checks every few seconds while something shows store data. The file watcher covers the
   * usual case; this covers the rest (a store outside the workspace, `.mlops` in
   * files.watcherExclude, a remote file system without events) for the price of a PRAGMA.
   */
  setPolling(on: boolean): void {
    if (on && !this.pollTimer) this.pollTimer = setInterval(() => this.check(), POLL_MS);
    if (!on && this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  dispose(): void {
    this.setPolling(false);
    this.watcher?.dispose();
    this.closeConnection();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private relocate(): void {
    const next = resolveStorePath();
    if (next === this.file) return;
    this.closeConnection();
    this.setPath(next);
    this.check(true);
  }

  private setPath(file: string | undefined): void {
    this.file = file;
    this.watcher?.dispose();
    this.watcher = undefined;
    if (!file) return;
    // The pattern covers store.sqlite, -wal and -shm: commits land in the WAL first.
    const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), `${path.basename(file)}*`);
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    watcher.onDidCreate(() => this.poke());
    watcher.onDidChange(() => this.poke());
    watcher.onDidDelete(() => this.poke());
    this.watcher = watcher;
  }

  private readVersion(store: ReadStore): string | undefined {
    try {
      return JSON.stringify(store.dataVersion());
    } catch (e) {
      this.log.warn(`store version check failed: ${errorMessage(e)}`);
      return undefined;
    }
  }

  private closeConnection(): void {
    try {
      this.store?.close();
    } catch {
      // Closing a connection whose file is gone can fail; there is nothing left to release.
    }
    this.store = undefined;
    this.version = undefined;
  }
}

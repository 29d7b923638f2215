import * as vscode from 'vscode';
import type { ModelRecord, ModelVersionRecord } from '../../core/registry/types';
import type { StoreService } from '../store/storeService';
import { PRODUCTION } from './collect';
import { modelItem, versionItem, type ModelsNode } from './nodes';

/**
 * The Models view: registered models → their versions, newest first, with alias badges, the
 * blessing and headline metrics. The registry is small (models × versions), so a refresh reads it
 * whole and fires only when something in it changed. Hidden, it reads nothing and catches up when
 * shown.
 */
export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelsNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<ModelsNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[];
  private models: ModelRecord[] = [];
  private versions = new Map<string, ModelVersionRecord[]>();
  private signature = '';
  private loaded = false;
  private visible = false;
  private stale = false;

  constructor(private readonly store: StoreService) {
    this.disposables = [this._onDidChangeTreeData, store.onDidChange(() => this.refresh())];
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.stale) this.refresh();
  }

  refresh(): void {
    if (!this.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    if (this.load()) this._onDidChangeTreeData.fire(undefined);
  }

  /** Draws the rows again from what is loaded (their relative times move on); reads nothing. */
  redraw(): void {
    if (this.visible) this._onDidChangeTreeData.fire(undefined);
  }

  /** Models with their versions, as last read (the tests and the pickers use it). */
  list(): { model: ModelRecord; versions: ModelVersionRecord[] }[] {
    if (!this.loaded || this.stale) this.load();
    return this.models.map((model) => ({ model, versions: this.versions.get(model.name) ?? [] }));
  }

  getTreeItem(node: ModelsNode): vscode.TreeItem {
    if (node.kind === 'model') return modelItem(node.model);
    const production = this.versions.get(node.model)?.find((v) => v.aliases.includes(PRODUCTION));
    return versionItem(node, production, Date.now());
  }

  getChildren(node?: ModelsNode): ModelsNode[] {
    if (!node) return this.list().map(({ model }) => ({ kind: 'model', model }));
    if (node.kind === 'model') {
      return (this.versions.get(node.model.name) ?? []).map((version) => ({ kind: 'version', model: node.model.name, version, runId: version.runId }));
    }
    return [];
  }

  getParent(node: ModelsNode): ModelsNode | undefined {
    if (node.kind === 'model') return undefined;
    const model = this.models.find((m) => m.name === node.model);
    return model && { kind: 'model', model };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  /** Reads the registry; true when it differs from what the tree shows. */
  private load(): boolean {
    this.loaded = true;
    this.stale = false;
    const read = this.store.read(
      (s) => {
        const models = s.listModels();
        // Newest first whatever the store's order, so the tree's order is this view's decision.
        return { models, versions: new Map(models.map((m) => [m.name, s.listModelVersions(m.name).sort((a, b) => b.version - a.version)])) };
      },
      { models: [] as ModelRecord[], versions: new Map<string, ModelVersionRecord[]>() },
    );
    const signature = JSON.stringify([read.models, [...read.versions]]);
    if (signature === this.signature) return false;
    this.signature = signature;
    this.models = read.models;
    this.versions = read.versions;
    return true;
  }
}

import * as vscode from 'vscode';
import type { ComponentInfo } from '../../core/pipeline/load';
import type { ComponentStatus } from '../../core/store/types';
import { formatRelativeTime } from '../../core/util/format';
import { executionStatusIcon } from '../runs/icons';
import type { StoreService } from '../store/storeService';
import type { RunSessions } from '../tasks/sessions';
import type { PipelineEntry } from './collect';
import type { PipelineIndex } from './index';

export type PipelinesNode =
  { kind: 'pipeline'; entry: PipelineEntry } | { kind: 'component'; entry: PipelineEntry; component: ComponentInfo; status: ComponentStatus | undefined };

/**
 * The Pipelines view: pipeline files → their components with the last status each had in the store.
 * Small (a workspace has a handful of pipelines), so it refreshes from the root.
 */
export class PipelinesTreeProvider implements vscode.TreeDataProvider<PipelinesNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<PipelinesNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly index: PipelineIndex,
    private readonly store: StoreService,
    sessions: RunSessions,
  ) {
    this.disposables = [
      this._onDidChangeTreeData,
      index.onDidChange(() => this.refresh()),
      store.onDidChange(() => this.refresh()),
      sessions.onDidRunEvent(({ event }) => {
        if (event.type === 'component-started' || event.type === 'component-finished') store.poke();
      }),
    ];
  }

  refresh(): void {
    this._onDidChangeTreeData.fire(undefined);
  }

  getTreeItem(node: PipelinesNode): vscode.TreeItem {
    return node.kind === 'pipeline' ? pipelineItem(node.entry) : componentItem(node, Date.now());
  }

  async getChildren(node?: PipelinesNode): Promise<PipelinesNode[]> {
    if (!node) {
      await this.index.ready;
      return this.index.list().map((entry) => ({ kind: 'pipeline', entry }));
    }
    if (node.kind !== 'pipeline') return [];
    const statuses = this.store.read((s) => s.componentStatuses(node.entry.name), [] as ComponentStatus[]);
    const byName = new Map(statuses.map((s) => [s.component, s]));
    return node.entry.components.map((component) => ({
      kind: 'component',
      entry: node.entry,
      component,
      status: byName.get(component.name),
    }));
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function pipelineItem(entry: PipelineEntry): vscode.TreeItem {
  const collapsible = entry.components.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(entry.name, collapsible);
  item.id = `pipeline:${entry.file}`;
  item.description = entry.relativePath;
  item.resourceUri = vscode.Uri.file(entry.file);
  const errors = entry.problems.filter((p) => p.severity === 'error').length;
  item.iconPath = errors ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')) : new vscode.ThemeIcon('type-hierarchy');
  item.tooltip = errors ? `${entry.relativePath}: ${errors} problem${errors === 1 ? '' : 's'}` : entry.relativePath;
  item.contextValue = 'pipeline';
  item.command = { command: 'vscode.open', title: 'Open Pipeline File', arguments: [vscode.Uri.file(entry.file)] };
  return item;
}

function componentItem(node: Extract<PipelinesNode, { kind: 'component' }>, now: number): vscode.TreeItem {
  const { entry, component, status } = node;
  const item = new vscode.TreeItem(component.name, vscode.TreeItemCollapsibleState.None);
  item.id = `component:${entry.file}:${component.name}`;
  item.iconPath = executionStatusIcon(status?.status);
  item.description = status ? `${status.status}${status.endedAt ? ` · ${formatRelativeTime(status.endedAt, now)}` : ''}` : 'not run yet';
  item.tooltip = status ? `${component.name}: ${status.status} in run #${status.runId}` : `${component.name}: not run yet`;
  item.contextValue = 'component';
  const line = Math.max((component.location.line ?? 1) - 1, 0);
  const col = Math.max((component.location.column ?? 1) - 1, 0);
  item.command = {
    command: 'vscode.open',
    title: 'Go to Component',
    arguments: [vscode.Uri.file(entry.file), { selection: new vscode.Range(line, col, line, col) }],
  };
  return item;
}

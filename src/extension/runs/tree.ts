import * as vscode from 'vscode';
import type { StoreService } from '../store/storeService';
import type { RunSessions } from '../tasks/sessions';
import type { CheckedRuns } from './checkedRuns';
import type { RunsModel } from './model';
import { artifactEntries } from './artifactEntries';
import { artifactItem, groupItem, messageItem, metricItem, moreItem, paramItem, runItem, sectionItem, type RunNode, type RunsNode } from './nodes';

type GroupNode = Extract<RunsNode, { kind: 'group' }>;

/**
 * The Runs view: pipelines (newest activity first) → runs (newest first, a page at a time) →
 * Parameters / Metrics / Artifacts. Refreshes when the store changes and fires only for the groups
 * whose rows changed, so a tree with thousands of runs does not re-render on every commit.
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  /** Group nodes keep their identity across refreshes: VS Code finds the node to update by reference. */
  private readonly groupNodes = new Map<string, GroupNode>();
  private readonly disposables: vscode.Disposable[];
  private visible = false;
  private stale = false;

  constructor(
    private readonly model: RunsModel,
    store: StoreService,
    private readonly checked: CheckedRuns,
    sessions: RunSessions,
  ) {
    this.disposables = [
      this._onDidChangeTreeData,
      store.onDidChange(() => this.refresh()),
      // The CLI commits before it reports; the event just makes us look now rather than after the
      // file watcher's round trip.
      sessions.onDidRunEvent(({ event }) => {
        if (event.type !== 'component-progress' && event.type !== 'metric') store.poke();
      }),
    ];
  }

  /**
   * Re-reads what is loaded and fires for what changed. While the view is hidden nothing is read:
   * the tree is marked stale and catches up when it is shown (or asked for its roots).
   */
  refresh(): void {
    if (!this.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const change = this.model.refresh();
    if (change.root) {
      this._onDidChangeTreeData.fire(undefined);
      return;
    }
    for (const pipeline of change.groups) this._onDidChangeTreeData.fire(this.groupNode(pipeline));
  }

  /** The view's visibility (TreeView.onDidChangeVisibility). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.stale) this.refresh();
  }

  /** Draws the rows again from what is loaded (their relative times move on); reads nothing. */
  redraw(): void {
    if (this.visible) this._onDidChangeTreeData.fire(undefined);
  }

  loadMore(pipeline: string): void {
    this.model.loadMore(pipeline);
    this._onDidChangeTreeData.fire(this.groupNode(pipeline));
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    const now = Date.now();
    switch (node.kind) {
      case 'group': {
        const g = this.model.group(node.pipeline);
        return groupItem(node.pipeline, g?.total ?? 0, g?.newest, now);
      }
      case 'run':
        return runItem(node.run, this.checked.has(node.run.id), now, this.model.trialCount(node.run.id));
      case 'more':
        return moreItem(node);
      case 'section':
        return sectionItem(node);
      case 'param':
        return paramItem(node);
      case 'metric':
        return metricItem(node);
      case 'artifact':
        return artifactItem(node);
      case 'message':
        return messageItem(node);
    }
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (!node) {
      if (this.stale) {
        this.stale = false;
        this.model.refresh();
      }
      return this.model.groupList().map((g) => this.groupNode(g.pipeline));
    }
    switch (node.kind) {
      case 'group': {
        const runs = this.model.runsOf(node.pipeline);
        const total = this.model.group(node.pipeline)?.total ?? runs.length;
        const rows: RunsNode[] = runs.map((run) => ({ kind: 'run', run }));
        if (runs.length < total) rows.push({ kind: 'more', pipeline: node.pipeline, shown: runs.length, total });
        return rows;
      }
      case 'run':
        return this.sectionsOf(node);
      case 'section': {
        if (node.section === 'trials') return this.model.trialsOf(node.runId).map((run) => ({ kind: 'run', run }));
        const d = this.model.detailsOf(node.runId);
        if (!d) return [];
        if (node.section === 'params') return Object.entries(d.params).map(([key, value]) => ({ kind: 'param', runId: node.runId, key, value }));
        if (node.section === 'metrics') return d.metrics.map((metric) => ({ kind: 'metric', runId: node.runId, metric }));
        return artifactEntries(d).map((entry) => ({ kind: 'artifact', runId: node.runId, ...entry }));
      }
      default:
        return [];
    }
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === 'run' && node.run.parentRunId !== null) {
      return { kind: 'section', runId: node.run.parentRunId, section: 'trials', count: this.model.trialCount(node.run.parentRunId) };
    }
    if (node.kind === 'run') return this.groupNode(node.run.pipelineName);
    if (node.kind === 'more') return this.groupNode(node.pipeline);
    return undefined;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private sectionsOf(node: RunNode): RunsNode[] {
    const d = this.model.detailsOf(node.run.id);
    if (!d) return [{ kind: 'message', id: `run:${node.run.id}:missing`, text: 'This run is no longer in the store' }];
    const trials = this.model.trialCount(node.run.id);
    return [
      ...(trials > 0 ? [{ kind: 'section', runId: node.run.id, section: 'trials', count: trials } as const] : []),
      { kind: 'section', runId: node.run.id, section: 'params', count: Object.keys(d.params).length },
      { kind: 'section', runId: node.run.id, section: 'metrics', count: d.metrics.length },
      { kind: 'section', runId: node.run.id, section: 'artifacts', count: artifactEntries(d).length },
    ];
  }

  private groupNode(pipeline: string): GroupNode {
    let node = this.groupNodes.get(pipeline);
    if (!node) this.groupNodes.set(pipeline, (node = { kind: 'group', pipeline }));
    return node;
  }
}

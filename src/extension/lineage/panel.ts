import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LineageGraph, LineageNode } from '../../core/store/types';
import { isUserError } from '../../core/util/problems';
import {
  isFromWebviewMessage,
  type FromWebviewMessage,
  type LineageDirectionView,
  type LineageSubjectView,
  type RenderedLineage,
  type ToWebviewMessage,
} from '../../shared/lineage';
import { COMMAND_OPEN_RUN } from '../commandIds';
import type { StoreService } from '../store/storeService';
import { PanelHost, type PageMessage, type ReadyMessage } from '../util/panelHost';
import { displayPath } from '../util/paths';
import { lineageTitle, subjectName, toLineageView } from './collect';
import { openLineageNode } from './open';

export interface LineagePanelDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  /** The panel moved to another subject (a double-clicked node): the registry files it under its new key. */
  refocused(panel: LineagePanel, subject: LineageSubjectView): void;
}

/** What a lineage panel shows, for tests and for commands. */
export interface LineagePanelInfo {
  subject: LineageSubjectView;
  direction: LineageDirectionView;
  title: string;
  /** Nodes the store answered with. */
  nodes: number;
  /** What the page last said it drew. */
  rendered: RenderedLineage | null;
  visible: boolean;
}

const REFRESH_MS = 500;

/**
 * The lineage graph around a run, files or a model version. The store answers with only the
 * connected part (a few indexed queries), so reading it here is cheap; the page lays it out. It
 * re-reads when the store changes (a run that finishes adds to the graph).
 */
export class LineagePanel extends PanelHost<ToWebviewMessage, FromWebviewMessage> {
  private direction: LineageDirectionView = 'both';
  private graph: LineageGraph | undefined;
  private rendered: RenderedLineage | null = null;

  constructor(
    panel: vscode.WebviewPanel,
    private subject: LineageSubjectView,
    private readonly deps: LineagePanelDeps,
  ) {
    super(panel, deps.extensionUri, lineageTitle(subjectName(subject, undefined, displayStorePath)), { isMessage: isFromWebviewMessage, log: deps.log });
    this.refreshOn([deps.store.onDidChange], () => this.update(), REFRESH_MS);
    this.showPage({ bundle: 'lineage', data: { subject: JSON.stringify(subject) }, loading: 'Loading lineage…' });
  }

  snapshot(): LineagePanelInfo {
    return {
      subject: this.subject,
      direction: this.direction,
      title: this.panel.title,
      nodes: this.graph?.nodes.length ?? 0,
      rendered: this.rendered,
      visible: this.panel.visible,
    };
  }

  protected get logName(): string {
    return `lineage panel (${this.panel.title})`;
  }

  protected pageReady(message: ReadyMessage<FromWebviewMessage>): void {
    this.direction = message.payload.direction;
    this.update();
  }

  protected async handle(message: PageMessage<FromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'rendered':
        this.rendered = message.payload;
        this.deps.log.debug(`${this.logName}: drew ${message.payload.empty ?? `${message.payload.nodes} nodes, ${message.payload.edges} edges`}`);
        return;
      case 'setDirection':
        this.direction = message.payload.direction;
        this.update();
        return;
      case 'open': {
        const node = this.graph?.nodes.find((n) => n.id === message.payload.nodeId);
        if (node && this.graph) await openLineageNode(node, this.graph);
        return;
      }
      case 'openOrigin': {
        const node = this.graph?.nodes.find((n) => n.id === message.payload.nodeId);
        if (node?.kind === 'execution' && node.reusedFrom) await vscode.commands.executeCommand(COMMAND_OPEN_RUN, node.reusedFrom.runId);
        return;
      }
      case 'focus': {
        const node = this.graph?.nodes.find((n) => n.id === message.payload.nodeId);
        if (!node) return;
        const subject = subjectOfNode(node);
        this.subject = subject;
        this.deps.refocused(this, subject);
        this.update();
        return;
      }
    }
  }

  protected pageDiscarded(): void {
    this.rendered = null;
  }

  private update(): void {
    if (!this.ready) return;
    const started = performance.now();
    const answer = this.deps.store.read<{ graph: LineageGraph } | { missing: string } | undefined>((s) => {
      try {
        return { graph: s.lineage({ subject: this.subject, direction: this.direction }) };
      } catch (e) {
        // A deleted run or version is the user's situation, not a store failure.
        if (isUserError(e)) return { missing: e.message };
        throw e;
      }
    }, undefined);
    const queryMs = performance.now() - started;
    if (!answer || 'missing' in answer) {
      this.graph = undefined;
      const message = answer ? `Nothing to show: ${answer.missing}.` : 'There is no run store in this workspace yet: run a pipeline first.';
      void this.post({ type: 'notFound', payload: { message } });
      return;
    }
    this.graph = answer.graph;
    const view = toLineageView(answer.graph, this.subject, displayStorePath, queryMs);
    this.panel.title = lineageTitle(subjectName(this.subject, answer.graph, displayStorePath));
    void this.post({ type: 'graph', payload: view });
  }
}

/** Store paths are absolute (shown workspace-relative) or already workspace-relative. */
function displayStorePath(uri: string): string {
  return path.isAbsolute(uri) ? displayPath(uri) : uri;
}

/** A node as a subject of its own: an execution stands for its run, served traffic for its version. */
function subjectOfNode(node: LineageNode): LineageSubjectView {
  switch (node.kind) {
    case 'execution':
      return { kind: 'run', runId: node.execution.runId };
    case 'artifact':
      return { kind: 'artifact', artifactIds: [node.artifact.id] };
    case 'modelVersion':
      return { kind: 'model', model: node.version.model, version: node.version.version };
    case 'monitoring':
      return { kind: 'model', model: node.monitoring.model, version: node.monitoring.version };
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { isLineageState, LINEAGE_VIEW_TYPE, type LineageSubjectView } from '../../shared/lineage';
import { isPipelineFile } from '../pipelines/collect';
import { fileSubject } from '../../core/lineage/subject';
import { isUserError } from '../../core/util/problems';
import type { PipelinesNode } from '../pipelines/tree';
import type { ModelsNode } from '../models/nodes';
import type { RunsNode } from '../runs/nodes';
import { pickRecentRun } from '../runs/pickRun';
import type { StoreService } from '../store/storeService';
import { KeyedPanels } from '../util/keyedPanels';
import { displayPath } from '../util/paths';
import { lineageTitle, subjectKey, subjectName } from './collect';
import { LineagePanel } from './panel';

export interface LineageDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}

/** Lineage panels, one per subject, restored after a reload; a panel refocused on a node moves to that key. */
export class LineagePanels extends KeyedPanels<LineageSubjectView, string, LineagePanel> {
  constructor(deps: LineageDeps) {
    const registry: { current?: LineagePanels } = {};
    super(deps, {
      viewType: LINEAGE_VIEW_TYPE,
      keyOf: subjectKey,
      title: (subject) => lineageTitle(subjectName(subject, undefined, displayPath)),
      subjectOfState: (state) => (isLineageState(state) ? state.subject : undefined),
      create: (panel, subject) => new LineagePanel(panel, subject, { ...deps, refocused: (p, s) => registry.current?.rekey(p, s) }),
    });
    registry.current = this;
  }
}

/**
 * `MLOps: Show Lineage` on a run, an artifact or a model version of the trees, on a pipeline file
 * (its newest run) or any other file a run read or wrote (Explorer, editor title), or from the
 * palette (the active pipeline file, else a picked run).
 */
export class LineageCommands {
  constructor(
    private readonly panels: LineagePanels,
    private readonly store: StoreService,
  ) {}

  async show(arg?: unknown): Promise<void> {
    const active = vscode.window.activeTextEditor?.document.uri;
    // Asked about something (a row, a file): it has lineage or the user is told why not, never a picker instead.
    const subject = arg !== undefined ? this.subjectOf(arg) : active && isPipelineFile(active.fsPath) ? this.subjectOf(active) : await this.pickedRun();
    if (subject) this.panels.open(subject);
  }

  private subjectOf(arg: unknown): LineageSubjectView | undefined {
    if (typeof arg === 'number' && Number.isInteger(arg) && arg > 0) return { kind: 'run', runId: arg };
    if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? this.fileSubject(arg.fsPath) : undefined;
    const node = arg as RunsNode | ModelsNode | PipelinesNode | undefined;
    switch (node?.kind) {
      case 'run':
        return { kind: 'run', runId: node.run.id };
      case 'artifact':
        return { kind: 'artifact', artifactIds: [node.artifact.id] };
      case 'version':
        return { kind: 'model', model: node.model, version: node.version.version };
      case 'pipeline':
        return this.fileSubject(node.entry.file);
      default:
        return undefined;
    }
  }

  /** A pipeline file's newest run; any other file: every artifact recorded at it (the CLI's rules). */
  private fileSubject(file: string): LineageSubjectView | undefined {
    const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
    const found = this.store.read<LineageSubjectView | { problem: string } | undefined>((s) => {
      try {
        const subject = fileSubject(s, file, displayPath(file), root);
        return subject.kind === 'artifact' ? { kind: 'artifact', artifactIds: [...subject.artifactIds] } : subject;
      } catch (e) {
        // Nothing recorded for it is the user's situation, not a store failure.
        if (isUserError(e)) return { problem: e.problems[0].message };
        throw e;
      }
    }, undefined);
    if (found && 'problem' in found) void vscode.window.showInformationMessage(`MLOps: ${found.problem}.`);
    return found && 'problem' in found ? undefined : found;
  }

  private async pickedRun(): Promise<LineageSubjectView | undefined> {
    const runId = await pickRecentRun(this.store, 'Show Lineage');
    return runId === undefined ? undefined : { kind: 'run', runId };
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { isLineageState, LINEAGE_VIEW_TYPE, type LineageSubjectView } from '../../shared/lineage';
import type { PipelinesNode } from '../pipelines/tree';
import type { ModelsNode } from '../models/nodes';
import type { RunsNode } from '../runs/nodes';
import { pickRun, recentRunsWith } from '../runs/pickRun';
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

const PIPELINE_FILE = /\.pipeline\.(ya?ml|json)$/i;

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
    const subject = arg !== undefined ? this.subjectOf(arg) : active && PIPELINE_FILE.test(active.fsPath) ? this.subjectOf(active) : await this.pickedRun();
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

  /** A pipeline file's newest run; any other file: every artifact recorded at it. */
  private fileSubject(file: string): LineageSubjectView | undefined {
    const name = displayPath(file);
    if (PIPELINE_FILE.test(file)) {
      const runId = this.store.read((s) => {
        const pipeline = s.listPipelines().find((p) => samePath(p.file, file));
        return pipeline ? s.listRuns({ pipeline: pipeline.name, limit: 1 }).runs[0]?.id : undefined;
      }, undefined);
      if (runId === undefined) void vscode.window.showInformationMessage(`MLOps: ${name} has not run yet: run it to see its lineage.`);
      return runId === undefined ? undefined : { kind: 'run', runId };
    }
    const artifactIds = this.store.read((s) => s.artifactIdsAt([file]), []);
    if (artifactIds.length === 0) void vscode.window.showInformationMessage(`MLOps: no run has read or written ${name}.`);
    return artifactIds.length ? { kind: 'artifact', artifactIds } : undefined;
  }

  private async pickedRun(): Promise<LineageSubjectView | undefined> {
    const runId = await pickRun(
      recentRunsWith(this.store, () => true),
      { title: 'Show Lineage', placeHolder: 'The lineage of which run?', empty: 'MLOps: no runs yet: run a pipeline first.' },
    );
    return runId === undefined ? undefined : { kind: 'run', runId };
  }
}

/** The store keeps the path the CLI was given: absolute, or relative to the workspace it ran in. */
function samePath(stored: string, file: string): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  const absolute = folder && !path.isAbsolute(stored) ? path.join(folder.uri.fsPath, stored) : stored;
  return absolute === file;
}

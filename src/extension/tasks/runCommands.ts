import * as vscode from 'vscode';
import { showError } from '../log';
import type { RunComponentArgs } from '../pipelines/codeLens';
import { isPipelineFile, type PipelineEntry } from '../pipelines/collect';
import type { PipelineIndex } from '../pipelines/index';
import { pickComponent, pickPipeline } from '../pipelines/pick';
import type { PipelinesNode } from '../pipelines/tree';
import { sameTask } from './definition';
import type { MlopsTaskProvider } from './provider';
import type { RunSessions } from './sessions';
import { ensureTrusted } from '../workspace/trust';

/**
 * Run Pipeline / Run Component / Cancel. Runs always go through `tasks.executeTask` with the
 * provider's own task, so a run from the palette, a lens or the tree looks exactly like one from
 * `Tasks: Run Task`: a terminal, the task's exit code, and `onDidEndTaskProcess`.
 */
export class RunTaskCommands {
  constructor(
    private readonly index: PipelineIndex,
    private readonly tasks: MlopsTaskProvider,
    private readonly sessions: RunSessions,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async runPipeline(arg?: unknown): Promise<vscode.TaskExecution | undefined> {
    if (!(await ensureTrusted())) return undefined;
    const entry = await this.pipelineFor(arg, 'Run Pipeline');
    return entry && this.execute(entry);
  }

  async runComponent(arg?: unknown): Promise<vscode.TaskExecution | undefined> {
    if (!(await ensureTrusted())) return undefined;
    if (isRunComponentArgs(arg)) {
      const entry = await this.entryFor(arg.uri);
      return entry && this.execute(entry, arg.component);
    }
    if (isPipelinesNode(arg) && arg.kind === 'component') return this.execute(arg.entry, arg.component.name);
    const entry = await this.pipelineFor(arg, 'Run Component');
    const component = entry && (await pickComponent(entry));
    return component ? this.execute(entry, component) : undefined;
  }

  /** Cancels the newest running pipeline (the one the status bar shows) by terminating its task. */
  async cancel(): Promise<void> {
    const session = this.sessions.active().at(-1);
    if (!session) return;
    const execution = vscode.tasks.taskExecutions.find((e) => sameTask(e.task.definition, session.definition));
    this.log.info(`cancel requested for ${session.pipelineName}`);
    if (execution) execution.terminate();
    else session.cancel();
  }

  private async execute(entry: PipelineEntry, component?: string): Promise<vscode.TaskExecution | undefined> {
    // The CLI runs the file on disk: what the user sees in the editor must be what runs.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === entry.file);
    if (open?.isDirty) await open.save();
    const task = this.tasks.taskFor(entry, component);
    if (!task) {
      void vscode.window.showWarningMessage(`MLOps: ${entry.relativePath} is not inside a workspace folder.`);
      return undefined;
    }
    try {
      return await vscode.tasks.executeTask(task);
    } catch (e) {
      await showError(this.log, `could not start ${task.name}`, e);
      return undefined;
    }
  }

  /** The pipeline a command is about: the argument (a file, a Pipelines node), the active editor's file, else a pick. */
  async pipelineFor(arg: unknown, title: string): Promise<PipelineEntry | undefined> {
    if (arg instanceof vscode.Uri) return this.entryFor(arg);
    if (isPipelinesNode(arg)) return arg.entry;
    await this.index.ready;
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file' && isPipelineFile(active.fsPath)) {
      const entry = await this.entryFor(active);
      if (entry) return entry;
    }
    return pickPipeline(this.index.list(), title);
  }

  private async entryFor(uri: vscode.Uri): Promise<PipelineEntry | undefined> {
    await this.index.ready;
    let entry = this.index.get(uri.fsPath);
    if (!entry) {
      // Saved a moment ago: the watcher has not caught up yet.
      await this.index.rescan();
      entry = this.index.get(uri.fsPath);
    }
    if (!entry) void vscode.window.showWarningMessage(`MLOps: ${uri.fsPath} is not a pipeline file of this workspace.`);
    return entry;
  }
}

function isRunComponentArgs(arg: unknown): arg is RunComponentArgs {
  const a = arg as RunComponentArgs | undefined;
  return !!a && a.uri instanceof vscode.Uri && typeof a.component === 'string';
}

function isPipelinesNode(arg: unknown): arg is PipelinesNode {
  const kind = (arg as PipelinesNode | undefined)?.kind;
  return (kind === 'pipeline' || kind === 'component') && typeof (arg as PipelinesNode).entry?.file === 'string';
}

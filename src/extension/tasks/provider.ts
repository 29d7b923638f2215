import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/store/types';
import type { PipelineIndex } from '../pipelines/index';
import type { PipelineEntry } from '../pipelines/collect';
import { fileStem } from '../pipelines/collect';
import { cliRunInvocation, describeInvocation } from './cliCommand';
import { CliTerminal } from './cliTerminal';
import { isMlopsTaskDefinition, TASK_SOURCE, TASK_TYPE, taskName, type MlopsTaskDefinition } from './definition';
import type { RunSessions } from './sessions';

export interface TaskProviderDeps {
  index: PipelineIndex;
  sessions: RunSessions;
  log: vscode.LogOutputChannel;
  /** Absolute path of the bundled CLI (`dist/cli.js`). */
  cliPath: string;
  /** The store the run writes to, read at execution time (the setting can change). */
  storePath: () => string | undefined;
}

/**
 * `mlops` tasks: one per pipeline file and one per component, cached and rebuilt when the pipeline
 * index changes. In an untrusted workspace there are none: a task runs code from the workspace.
 */
export class MlopsTaskProvider implements vscode.TaskProvider, vscode.Disposable {
  private cache: vscode.Task[] | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly deps: TaskProviderDeps) {
    this.disposables = [deps.index.onDidChange(() => (this.cache = undefined)), vscode.workspace.onDidGrantWorkspaceTrust(() => (this.cache = undefined))];
  }

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    await this.deps.index.ready;
    this.cache ??= this.deps.index.list().flatMap((entry) => this.tasksOf(entry));
    return this.cache;
  }

  /** Fills in an `mlops` task written in tasks.json (it keeps its own definition object). */
  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (!vscode.workspace.isTrusted || !isMlopsTaskDefinition(task.definition)) return undefined;
    const folder = scopeFolder(task.scope);
    if (!folder) return undefined;
    return this.createTask(task.definition, folder, task.name);
  }

  /** The provider's task for a pipeline (or one of its components): what the run commands execute. */
  taskFor(entry: PipelineEntry, component?: string): vscode.Task | undefined {
    const folder = vscode.workspace.workspaceFolders?.[entry.folderIndex];
    if (!folder) return undefined;
    const definition: MlopsTaskDefinition = { type: TASK_TYPE, pipeline: entry.relativePath };
    if (component) definition.component = component;
    return this.createTask(definition, folder, taskName(entry.name, component));
  }

  /**
   * A task that reproduces a recorded run (`mlops reproduce`): in the workspace folder holding the
   * run's pipeline file, else the first; never listed by provideTasks (a run is not a task to keep).
   */
  reproduceTask(run: RunRecord, options: { force: boolean; verify: boolean }): vscode.Task | undefined {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = folders.find((f) => !path.relative(f.uri.fsPath, run.pipelineFile).startsWith('..')) ?? folders[0];
    if (!folder) return undefined;
    const definition: MlopsTaskDefinition = {
      type: TASK_TYPE,
      pipeline: path.relative(folder.uri.fsPath, run.pipelineFile),
      reproduce: run.id,
      force: options.force,
      verify: options.verify,
    };
    return this.createTask(definition, folder, taskName(run.pipelineName, undefined, run.id));
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private tasksOf(entry: PipelineEntry): vscode.Task[] {
    const pipeline = this.taskFor(entry);
    if (!pipeline) return [];
    return [pipeline, ...entry.components.map((c) => this.taskFor(entry, c.name)!).filter(Boolean)];
  }

  private createTask(definition: MlopsTaskDefinition, folder: vscode.WorkspaceFolder, name: string): vscode.Task {
    const execution = new vscode.CustomExecution(async (resolved) => {
      // The resolved definition has ${workspaceFolder} and friends substituted.
      const def = isMlopsTaskDefinition(resolved) ? resolved : definition;
      return this.createTerminal(def, folder);
    });
    // An explicit (empty) list of problem matchers: without it `Tasks: Run Task` asks which output
    // to scan before every run; the editor's diagnostics already show pipeline-file problems.
    const task = new vscode.Task(definition, folder, name, TASK_SOURCE, execution, []);
    task.detail =
      definition.reproduce !== undefined
        ? `Reproduce run #${definition.reproduce} of ${definition.pipeline} from its stored files`
        : definition.component
          ? `Run ${definition.component} of ${definition.pipeline} (and what it needs)`
          : `Run every component of ${definition.pipeline}`;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    return task;
  }

  private createTerminal(definition: MlopsTaskDefinition, folder: vscode.WorkspaceFolder): CliTerminal {
    const pipelineFile = path.resolve(folder.uri.fsPath, definition.pipeline);
    const storePath = this.deps.storePath() ?? path.join(folder.uri.fsPath, '.mlops', 'store.sqlite');
    const reproduce =
      definition.reproduce === undefined ? undefined : { runId: definition.reproduce, force: definition.force ?? false, verify: definition.verify ?? false };
    const invocation = cliRunInvocation({
      nodePath: process.execPath,
      cliPath: this.deps.cliPath,
      pipelineFile,
      component: definition.component,
      reproduce,
      storePath,
      cwd: folder.uri.fsPath,
      baseEnv: process.env,
    });
    return new CliTerminal({
      invocation,
      definition,
      pipelineFile,
      pipelineName: this.deps.index.get(pipelineFile)?.name ?? fileStem(pipelineFile),
      commandLine: describeInvocation(definition.pipeline, definition.component, reproduce),
      sessions: this.deps.sessions,
      log: this.deps.log,
    });
  }
}

function scopeFolder(scope: vscode.Task['scope']): vscode.WorkspaceFolder | undefined {
  if (scope && typeof scope === 'object') return scope;
  return vscode.workspace.workspaceFolders?.[0];
}

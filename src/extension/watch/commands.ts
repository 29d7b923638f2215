import * as vscode from 'vscode';
import type { PipelineEntry } from '../pipelines/collect';
import { ensureTrusted } from '../workspace/trust';
import type { WatchController, WatchStatus } from './controller';

export interface WatchCommandsDeps {
  watch: WatchController;
  /** The pipeline a command is about (argument, active editor, else a pick): RunTaskCommands.pipelineFor. */
  pipelineFor(arg: unknown, title: string): Promise<PipelineEntry | undefined>;
}

/** Watch Pipeline and Stop Watching: one watched pipeline per window; switching asks first. */
export class WatchCommands {
  constructor(private readonly deps: WatchCommandsDeps) {}

  async watch(arg: unknown): Promise<WatchStatus | undefined> {
    if (!(await ensureTrusted())) return undefined;
    const entry = await this.deps.pipelineFor(arg, 'Watch Pipeline');
    if (!entry) return undefined;
    const current = this.deps.watch.status();
    if (current && current.state !== 'failed') {
      if (current.file === entry.file) {
        void vscode.window.showInformationMessage(`MLOps: ${entry.name} is already being watched.`);
        return current;
      }
      const action = 'Stop and Watch';
      const answer = await vscode.window.showWarningMessage(
        `Stop watching ${current.pipeline} and watch ${entry.name} instead?`,
        { modal: true, detail: 'This window watches one pipeline at a time; a run it started is canceled.' },
        action,
      );
      if (answer !== action) return undefined;
    }
    // The watcher reads the file on disk: what the user sees must be what it watches.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === entry.file);
    if (open?.isDirty) await open.save();
    const status = await this.deps.watch.start({ name: entry.name, file: entry.file });
    if (status.state === 'watching') void vscode.window.showInformationMessage(`MLOps: watching ${entry.name}; triggered runs appear in the Runs view.`);
    return status;
  }

  stop(): Promise<void> {
    return this.deps.watch.stop();
  }
}

import * as vscode from 'vscode';
import type { RunSessions } from '../tasks/sessions';
import { applyEvent, initialProgress, progressText, type RunProgress } from './progress';
import { COMMAND_CANCEL_RUN } from '../commandIds';

/** Context key for `when` clauses: a pipeline is running in this window. */
const RUNNING_CONTEXT = 'mlops.running';

/**
 * A status bar item while a pipeline runs: which component, how far along; a click cancels. Hidden
 * when nothing runs. With several runs at once it shows the newest and counts the others.
 */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlops.run', vscode.StatusBarAlignment.Left, 50);
  private readonly progress = new Map<number, RunProgress>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly sessions: RunSessions) {
    this.item.name = 'MLOps Pipeline Run';
    this.item.command = COMMAND_CANCEL_RUN;
    this.disposables = [
      this.item,
      sessions.onDidChangeSessions(() => this.sync()),
      sessions.onDidRunEvent(({ session, event }) => {
        const current = this.progress.get(session.id) ?? initialProgress(session.pipelineName);
        this.progress.set(session.id, applyEvent(current, event));
        this.render();
      }),
    ];
  }

  dispose(): void {
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private sync(): void {
    const active = this.sessions.active();
    const ids = new Set(active.map((s) => s.id));
    for (const id of [...this.progress.keys()]) if (!ids.has(id)) this.progress.delete(id);
    for (const s of active) if (!this.progress.has(s.id)) this.progress.set(s.id, initialProgress(s.pipelineName));
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, active.length > 0);
    this.render();
  }

  private render(): void {
    const active = this.sessions.active();
    const newest = active.at(-1);
    const p = newest && this.progress.get(newest.id);
    if (!p) {
      this.item.hide();
      return;
    }
    const others = active.length - 1;
    this.item.text = progressText(p) + (others > 0 ? ` +${others}` : '');
    this.item.tooltip = `${p.runId ? `Run #${p.runId} of ` : ''}${p.pipeline} is running. Click to cancel it.`;
    this.item.accessibilityInformation = { label: `${p.pipeline} running${p.current ? `: ${p.current}` : ''}. Activate to cancel.` };
    this.item.show();
  }
}

import * as vscode from 'vscode';
import { COMMAND_OPEN_RUN, COMMAND_SHOW_LOG } from '../commandIds';
import { statusBarItemView, type ServingStatusBarView } from '../serving/statusBar';
import type { WatchController, WatchStatus } from './controller';
import { watchStatusText, watchTooltipRows } from './format';

/**
 * The pipeline this window watches, in the status bar: what it waits for in the tooltip, the last
 * trigger and its run in the text; a click opens that run (or the log, before the first). Hidden
 * when nothing is watched.
 */
export class WatchStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlops.watch', vscode.StatusBarAlignment.Left, 47);
  private readonly subscription: vscode.Disposable;
  private shown = false;

  constructor(watch: WatchController) {
    this.item.name = 'MLOps Watch';
    this.subscription = watch.onDidChangeStatus((s) => this.render(s));
    this.render(watch.status());
  }

  /** What it shows now (for tests), or undefined when hidden. */
  view(): ServingStatusBarView | undefined {
    return this.shown ? statusBarItemView(this.item) : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private render(status: WatchStatus | undefined): void {
    this.shown = status !== undefined;
    if (!status) {
      this.item.hide();
      return;
    }
    this.item.text = watchStatusText(status);
    this.item.backgroundColor = status.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(`MLOps: watching ${status.pipeline}`).appendMarkdown('\n\n');
    for (const [label, value] of watchTooltipRows(status)) tooltip.appendMarkdown(`**${label}**: `).appendText(value).appendMarkdown('  \n');
    const runId = status.last?.runId ?? null;
    tooltip.appendMarkdown('\n').appendText(runId === null ? 'Click to show the log.' : `Click to open run #${runId}.`);
    this.item.tooltip = tooltip;
    this.item.command =
      runId === null ? { command: COMMAND_SHOW_LOG, title: 'Show Log' } : { command: COMMAND_OPEN_RUN, title: 'Open Run', arguments: [runId] };
    this.item.show();
  }
}

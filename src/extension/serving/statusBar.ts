import * as vscode from 'vscode';
import { servingHeadline, servingStatusText, servingTooltipRows, swapMessage } from './format';
import type { ServingSource, ServingStatus } from './source';
import { COMMAND_SHOW_MONITORING } from '../commandIds';

/** What the item shows (for tests): its text, tooltip and background, or undefined when hidden. */
export interface ServingStatusBarView {
  text: string;
  tooltip: string;
  /** The theme color id of the background, when it has one. */
  background: string | null;
}

/** What a status bar item shows, for tests (the watch item's too). */
export function statusBarItemView(item: vscode.StatusBarItem): ServingStatusBarView {
  const tooltip = item.tooltip;
  const background = item.backgroundColor;
  return {
    text: item.text,
    tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
    background: background instanceof vscode.ThemeColor ? background.id : null,
  };
}

/**
 * The server this window runs, in the status bar beside the run's item: model, version and the
 * last second's requests per second, or that it is starting or failed; a click opens monitoring.
 * A swap to another version (a push, a rollback) shows a short status bar message. Hidden when
 * nothing was started and after Stop Serving.
 */
export class ServingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlops.serving', vscode.StatusBarAlignment.Left, 48);
  private readonly disposables: vscode.Disposable[];
  private visible = false;
  /** The server (by its start time) and the version it last served, to tell a swap from a new start. */
  private served: { startedAt: number; version: number | null } | undefined;

  constructor(private readonly serving: ServingSource) {
    this.item.name = 'MLOps Serving';
    this.disposables = [this.item, serving.onDidChangeStatus((s) => this.onStatus(s)), serving.onDidTraffic(() => this.render(serving.status()))];
    this.render(serving.status());
  }

  /** What it shows now. */
  view(): ServingStatusBarView | undefined {
    return this.visible ? statusBarItemView(this.item) : undefined;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private onStatus(status: ServingStatus | undefined): void {
    const before = this.served;
    if (status?.state === 'serving') {
      if (before?.startedAt === status.startedAt && status.version !== null && before.version !== status.version) {
        vscode.window.setStatusBarMessage(`$(arrow-swap) ${swapMessage(status.model, before.version, status.version)}`, 8000);
      }
      this.served = { startedAt: status.startedAt, version: status.version };
    } else if (!status) this.served = undefined;
    this.render(status);
  }

  private render(status: ServingStatus | undefined): void {
    if (!status) {
      this.visible = false;
      this.item.hide();
      return;
    }
    const traffic = this.serving.traffic();
    const last = traffic[traffic.length - 1];
    this.item.text = servingStatusText(status, last);
    this.item.backgroundColor = status.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(servingHeadline(status)).appendMarkdown('\n\n');
    for (const [label, value] of servingTooltipRows(status, last)) tooltip.appendMarkdown(`**${label}**: `).appendText(value).appendMarkdown('  \n');
    tooltip.appendMarkdown('\n').appendText('Click to show monitoring.');
    this.item.tooltip = tooltip;
    this.item.command = { command: COMMAND_SHOW_MONITORING, title: 'Show Monitoring', arguments: [status.model] };
    this.item.accessibilityInformation = { label: `${servingHeadline(status)}. Activate to show monitoring.` };
    this.visible = true;
    this.item.show();
  }
}

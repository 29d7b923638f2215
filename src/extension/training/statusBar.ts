import * as vscode from 'vscode';
import { formatMetric } from '../../core/util/format';
import type { RunSessions } from '../tasks/sessions';
import { headlineKey, isEpochMetric } from './epochFigure';
import { COMMAND_SHOW_TRAINING } from '../commandIds';

interface Training {
  runId: number;
  /** The latest epoch seen and the latest value of each epoch metric, in the order first logged. */
  step: number;
  values: Map<string, number>;
}

/**
 * Offers the curves while a run trains: a status bar item that appears with a run's first epoch
 * metric, shows the latest epoch's loss (`#12 · epoch 3 · val_loss 0.41`) and opens the training panel on a
 * click; it goes when the run's session ends. Opening the panel by itself would steal the editor.
 */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mlops.training', vscode.StatusBarAlignment.Left, 49);
  /** Latest epoch metric per session. */
  private readonly training = new Map<number, Training>();
  private readonly disposables: vscode.Disposable[];

  constructor(sessions: RunSessions) {
    this.item.name = 'MLOps Training';
    this.disposables = [
      this.item,
      sessions.onDidRunEvent(({ session, event }) => {
        if (event.type === 'metric' && isEpochMetric(event.key, event.step)) {
          const t = this.training.get(session.id) ?? { runId: event.runId, step: 0, values: new Map<string, number>() };
          t.step = Math.max(t.step, event.step);
          t.values.set(event.key, event.value);
          this.training.set(session.id, t);
          this.render();
        }
      }),
      sessions.onDidChangeSessions(() => {
        const active = new Set(sessions.active().map((s) => s.id));
        for (const id of [...this.training.keys()]) if (!active.has(id)) this.training.delete(id);
        this.render();
      }),
    ];
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private render(): void {
    const latest = [...this.training.values()].at(-1);
    if (!latest) {
      this.item.hide();
      return;
    }
    const key = headlineKey([...latest.values.keys()])!;
    this.item.text = `$(graph-line) #${latest.runId} · epoch ${latest.step} · ${key} ${formatMetric(latest.values.get(key)!)}`;
    this.item.tooltip = `Run #${latest.runId} is training. Click to show its training curves.`;
    this.item.command = { command: COMMAND_SHOW_TRAINING, title: 'Show Training Curves', arguments: [latest.runId] };
    this.item.accessibilityInformation = { label: `Run ${latest.runId} training, epoch ${latest.step}. Activate to show the training curves.` };
    this.item.show();
  }
}

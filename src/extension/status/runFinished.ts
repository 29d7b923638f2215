import * as vscode from 'vscode';
import type { RunEvent } from '../../core/runner/events';
import { formatDuration } from '../../core/util/format';
import type { RunSessions } from '../tasks/sessions';

type RunFinished = Extract<RunEvent, { type: 'run-finished' }>;

const OPEN_RUN = 'Open Run';

/** The notification's text, or undefined for a run the user canceled (they know). */
export function runFinishedMessage(pipeline: string, e: RunFinished): { kind: 'information' | 'error'; text: string } | undefined {
  const run = `${pipeline} run #${e.runId}`;
  const took = formatDuration(e.durationMs);
  switch (e.status) {
    case 'complete':
      return { kind: 'information', text: `MLOps: ${run} complete in ${took}.` };
    case 'canceled':
      return undefined;
    default:
      return { kind: 'error', text: `MLOps: ${run} ${e.status} after ${took}${e.error ? `: ${e.error}` : '.'}` };
  }
}

export interface RunFinishedDeps {
  openRun(runId: number): void;
  /** The user is looking at this run already (its details panel is in front in a focused window). */
  watching(runId: number): boolean;
}

/**
 * Says when a run started from this window ends: complete with Open Run, failed with its error, so
 * a long run can be left in the background. Quiet when the run's details are in front of the user.
 */
export class RunFinishedNotifier implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(sessions: RunSessions, deps: RunFinishedDeps) {
    this.subscription = sessions.onDidRunEvent(({ session, event }) => {
      if (event.type !== 'run-finished' || deps.watching(event.runId)) return;
      const message = runFinishedMessage(session.pipelineName, event);
      if (!message) return;
      const show = message.kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
      void show(message.text, OPEN_RUN).then((choice) => choice === OPEN_RUN && deps.openRun(event.runId));
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

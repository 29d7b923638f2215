import * as vscode from 'vscode';
import type { RunEvent } from '../../core/runner/events';
import type { MlopsTaskDefinition } from './definition';

/** One `mlops run` child process started by a task, from spawn to exit. */
export interface RunSession {
  readonly id: number;
  readonly definition: MlopsTaskDefinition;
  /** Absolute pipeline file. */
  readonly pipelineFile: string;
  /** Pipeline name as known when the task started (the events carry the authoritative one). */
  readonly pipelineName: string;
  /** Sends SIGINT (a second call, SIGKILL). */
  cancel(): void;
}

export interface SessionEvent {
  session: RunSession;
  event: RunEvent;
}

/**
 * The hub between running tasks and the views: every pseudoterminal registers its session and
 * forwards the CLI's fd-3 events here; the status bar, the trees and the panels subscribe.
 */
export class RunSessions implements vscode.Disposable {
  private readonly _onDidRunEvent = new vscode.EventEmitter<SessionEvent>();
  readonly onDidRunEvent = this._onDidRunEvent.event;
  private readonly _onDidChangeSessions = new vscode.EventEmitter<void>();
  /** A session started or ended. */
  readonly onDidChangeSessions = this._onDidChangeSessions.event;

  private readonly sessions = new Map<number, RunSession>();
  private nextId = 1;

  newId(): number {
    return this.nextId++;
  }

  register(session: RunSession): vscode.Disposable {
    this.sessions.set(session.id, session);
    this._onDidChangeSessions.fire();
    return new vscode.Disposable(() => {
      if (this.sessions.delete(session.id)) this._onDidChangeSessions.fire();
    });
  }

  fire(session: RunSession, event: RunEvent): void {
    this._onDidRunEvent.fire({ session, event });
  }

  active(): RunSession[] {
    return [...this.sessions.values()];
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.cancel();
    this._onDidRunEvent.dispose();
    this._onDidChangeSessions.dispose();
  }
}

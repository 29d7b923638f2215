import * as vscode from 'vscode';
import { showError } from './log';

/**
 * Registers a command whose failures reach the user as a notification with *Show Log*, never as
 * an unhandled rejection with a stack trace.
 */
export function registerCommand(id: string, log: vscode.LogOutputChannel, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (e) {
      await showError(log, `${id} failed`, e);
      return undefined;
    }
  });
}

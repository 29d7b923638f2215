import * as vscode from 'vscode';

/**
 * User-facing errors: a notification with the message and a *Show Log* action; the stack (if any)
 * goes to the log only. Errors a user causes carry their own message; anything else is a bug and is
 * worded as such.
 */
export async function showError(log: vscode.LogOutputChannel, message: string, error?: unknown): Promise<void> {
  if (error !== undefined) log.error(message, error instanceof Error ? error : String(error));
  else log.error(message);
  const detail = error instanceof Error && error.message ? `: ${firstLine(error.message)}` : '';
  const choice = await vscode.window.showErrorMessage(`MLOps: ${message}${detail}`, 'Show Log');
  if (choice === 'Show Log') log.show(true);
}

function firstLine(s: string): string {
  const line = s.split('\n', 1)[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

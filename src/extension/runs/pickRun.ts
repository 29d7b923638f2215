import * as vscode from 'vscode';
import { runPickItems, type RunChoice } from './runChoices';

export interface RunPickOptions {
  title: string;
  placeHolder: string;
  /** The information message when there is no run to pick. */
  empty: string;
}

/** The run picker of every command that needs a run; it stays open when a panel takes the focus while it is shown. */
export async function pickRun(choices: readonly RunChoice[], o: RunPickOptions): Promise<number | undefined> {
  if (!choices.length) {
    void vscode.window.showInformationMessage(o.empty);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(runPickItems(choices, Date.now()), {
    title: o.title,
    placeHolder: o.placeHolder,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked?.runId;
}

import * as vscode from 'vscode';

/**
 * Running a pipeline executes code from the workspace (custom steps are shell commands), so it needs
 * a trusted workspace. Reading the store and showing diagnostics does not, and stays available.
 */
export async function ensureTrusted(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    'MLOps: running a pipeline executes code from this workspace (custom steps run shell commands), so it needs a trusted workspace. Trust this folder to run pipelines.',
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

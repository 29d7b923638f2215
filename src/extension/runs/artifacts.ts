import * as vscode from 'vscode';
import { toUri } from '../util/paths';
import type { ArtifactNode } from './nodes';

/** An artifact row of the Runs tree, or a location string (from the run-details panel). */
function uriOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return toUri(arg);
  const node = arg as ArtifactNode | undefined;
  return node?.kind === 'artifact' ? toUri(node.artifact.uri) : undefined;
}

async function statOf(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

/** Files open in an editor; folders (a SavedModel, a statistics directory) are revealed instead. */
export async function openArtifact(arg: unknown): Promise<void> {
  const uri = uriOf(arg);
  if (!uri) return;
  const stat = await statOf(uri);
  if (!stat) {
    void vscode.window.showWarningMessage(`MLOps: the artifact ${uri.fsPath} no longer exists.`);
    return;
  }
  if (stat.type & vscode.FileType.Directory) await revealArtifact(uri);
  else await vscode.commands.executeCommand('vscode.open', uri);
}

/**
 * In the Explorer when the artifact is inside the workspace (the usual `.mlops/artifacts`), else in
 * the OS file manager (desktop only: a remote window has no local file manager for it).
 */
export async function revealArtifact(arg: unknown): Promise<void> {
  const uri = uriOf(arg);
  if (!uri) return;
  if (!(await statOf(uri))) {
    void vscode.window.showWarningMessage(`MLOps: the artifact ${uri.fsPath} no longer exists.`);
    return;
  }
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else await vscode.commands.executeCommand('revealFileInOS', uri);
}

export async function copyArtifactPath(arg: unknown): Promise<void> {
  const uri = uriOf(arg);
  if (!uri) return;
  await vscode.env.clipboard.writeText(uri.scheme === 'file' ? uri.fsPath : uri.toString());
  vscode.window.setStatusBarMessage(`Copied ${uri.fsPath}`, 3000);
}

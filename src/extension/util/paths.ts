import * as path from 'node:path';
import * as vscode from 'vscode';

/** Artifact locations in the store are absolute paths or URIs; both become a Uri here. */
export function toUri(pathOrUri: string): vscode.Uri {
  // A Windows drive letter (`C:\…`) looks like a URI scheme: only treat `scheme://` as a URI.
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(pathOrUri) ? vscode.Uri.parse(pathOrUri) : vscode.Uri.file(pathOrUri);
}

/** Workspace-relative with forward slashes (the form task definitions and labels use). */
export function relativeToFolder(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
}

/** How a path reads in the UI: relative to the workspace when inside it, as given otherwise. */
export function displayPath(fsPath: string): string {
  const uri = vscode.Uri.file(fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return folder ? relativeToFolder(folder, uri) : fsPath;
}

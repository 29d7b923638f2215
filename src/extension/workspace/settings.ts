import * as path from 'node:path';
import * as vscode from 'vscode';

export const STORE_PATH_SETTING = 'mlops.storePath';
export const DEFAULT_STORE_PATH = '.mlops/store.sqlite';

/**
 * The store the CLI writes and the views read: `mlops.storePath`, resolved against the first
 * workspace folder (one store per window keeps the Runs tree a single list). Undefined without a
 * folder: there is nowhere to put runs then.
 */
export function resolveStorePath(): string | undefined {
  const configured = vscode.workspace.getConfiguration().get<string>(STORE_PATH_SETTING)?.trim() || DEFAULT_STORE_PATH;
  const expanded = configured.replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~');
  if (path.isAbsolute(expanded)) return expanded;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.join(folder.uri.fsPath, expanded) : undefined;
}

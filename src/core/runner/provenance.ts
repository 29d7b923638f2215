import { execFile } from 'node:child_process';
import * as path from 'node:path';

export interface GitState {
  commit: string | null;
  dirty: boolean | null;
}

/** The commit a run was made from and whether the work tree had changes: null outside git. */
export async function gitState(dir: string): Promise<GitState> {
  const commit = await git(dir, ['rev-parse', 'HEAD']);
  if (commit === null) return { commit: null, dirty: null };
  const status = await git(dir, ['status', '--porcelain', '--untracked-files=no']);
  return { commit, dirty: status === null ? null : status.length > 0 };
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 3000, windowsHide: true }, (error, stdout) => resolve(error ? null : stdout.trim()));
  });
}

/** Absolute paths of the tracked files with uncommitted changes (staged or not); null outside git. */
export async function uncommittedFiles(dir: string): Promise<string[] | null> {
  const top = await git(dir, ['rev-parse', '--show-toplevel']);
  const changed = top === null ? null : await git(dir, ['diff', '--name-only', '--no-renames', '-z', 'HEAD']);
  if (top === null || changed === null) return null;
  return changed
    .split('\0')
    .filter(Boolean)
    .map((file) => path.resolve(top, file));
}

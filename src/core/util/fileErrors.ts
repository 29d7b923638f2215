import { UserError } from './problems';

/**
 * File-system failures a user causes (a path they typed, permissions, a full disk) and how to say
 * them. A missing file is left out: the commands name the files they expect, so one that reaches
 * here is a bug.
 */
const FILE_ERRORS: Record<string, string> = {
  EACCES: 'cannot be accessed (permission denied)',
  EPERM: 'cannot be changed (operation not permitted)',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'cannot be written: the disk is full',
  ENAMETOOLONG: 'is too long a name: a part of a path may have at most 255 bytes',
  ENOTDIR: 'has a file where a folder is expected',
  EISDIR: 'is a folder where a file is expected',
  ELOOP: 'has too many symbolic links',
};

/** Node's fs errors name the path and the code: the user's mistake, told as such instead of a stack. */
export function fileSystemProblem(error: unknown): UserError | undefined {
  const e = error as NodeJS.ErrnoException | null;
  const what = typeof e?.code === 'string' ? FILE_ERRORS[e.code] : undefined;
  if (!what || typeof e?.path !== 'string') return undefined;
  return UserError.at(`${e.path} ${what}`, undefined, `${e.syscall ?? 'the file system'} answered ${e.code}`);
}

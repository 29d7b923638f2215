import { UserError } from '../util/problems';
import { sqliteErrorCode } from './driver/errorCode';
import { errorMessage } from '../util/errorMessage';

/**
 * The store problems a user can cause or fix (another process writing, a damaged or foreign file, a
 * folder they cannot write). Each message names the store file, because `--store` can point anywhere.
 */

function storeError(message: string, hint: string, cause?: unknown): UserError {
  const error = UserError.at(message, undefined, hint);
  if (cause !== undefined) error.cause = cause;
  return error;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export function lockedError(path: string, busyTimeoutMs: number, cause?: unknown): UserError {
  return storeError(
    `the run store ${path} is locked by another process; waited ${seconds(busyTimeoutMs)}`,
    'another mlops run may be writing: wait for it or use --store',
    cause,
  );
}

export function corruptError(path: string, cause?: unknown): UserError {
  return storeError(
    `the run store ${path} is not a valid SQLite database (it may be corrupt). It has not been changed`,
    `move it aside to start a new store, or run \`sqlite3 ${path} .recover\``,
    cause,
  );
}

export function notWritableError(path: string, cause: unknown): UserError {
  const reason = errorMessage(cause);
  return storeError(
    `the run store ${path} cannot be opened for writing (${reason}); the file or its folder may be read-only`,
    'make the location writable, or use --store to put the store somewhere else',
    cause,
  );
}

export function folderError(path: string): UserError {
  return storeError(`the run store ${path} is a folder, not a file`, `point --store (or MLOPS_STORE) at the store file, e.g. ${path}/store.sqlite`);
}

export function missingError(path: string): UserError {
  return storeError(`there is no run store at ${path}`, 'run a pipeline first, or use --store to open another store');
}

export function newerVersionError(path: string, found: number, known: number): UserError {
  return storeError(
    `the run store ${path} was written by a newer version of mlops (store format ${found}; this version knows up to ${known}). It has not been changed`,
    'update the mlops extension/CLI, or use --store to open another store',
  );
}

export function olderVersionError(path: string, found: number, known: number): UserError {
  return storeError(
    `the run store ${path} uses an older format (${found}; this version needs ${known}) and was opened read-only`,
    'the next `mlops` run on this store upgrades it',
  );
}

export function foreignDatabaseError(path: string): UserError {
  return storeError(`${path} is an SQLite database but not an mlops run store. It has not been changed`, 'use --store to choose another file');
}

/** Codes can be extended (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_CORRUPT_INDEX`), so match on the family. */
export function isCorruption(error: unknown): boolean {
  const code = sqliteErrorCode(error);
  return code === 'SQLITE_NOTADB' || (code?.startsWith('SQLITE_CORRUPT') ?? false);
}

export function translateStoreError(error: unknown, path: string, busyTimeoutMs: number): unknown {
  const code = sqliteErrorCode(error);
  if (code === undefined) return error;
  if (code.startsWith('SQLITE_BUSY')) return lockedError(path, busyTimeoutMs, error);
  if (isCorruption(error)) return corruptError(path, error);
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || ['EACCES', 'EPERM', 'EROFS'].includes(code)) {
    return notWritableError(path, error);
  }
  return error;
}

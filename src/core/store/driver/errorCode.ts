/** SQLite's primary result codes that the store tells apart (https://sqlite.org/rescode.html). */
const PRIMARY_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  3: 'SQLITE_PERM',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  19: 'SQLITE_CONSTRAINT',
  26: 'SQLITE_NOTADB',
};

/**
 * One name for a failure whichever driver raised it: better-sqlite3 puts the (extended) name in
 * `code` ('SQLITE_BUSY_SNAPSHOT'); node:sqlite puts 'ERR_SQLITE_ERROR' there and the number in
 * `errcode`, named here by its family ('SQLITE_BUSY'). Other errors keep their code ('EACCES').
 */
export function sqliteErrorCode(error: unknown): string | undefined {
  const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
  if (typeof errcode === 'number') return PRIMARY_CODES[errcode & 0xff] ?? `SQLITE_${errcode}`;
  return typeof code === 'string' ? code : undefined;
}

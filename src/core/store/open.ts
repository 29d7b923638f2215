import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { StoreContext } from './context';
import { processDriver } from './driver/select';
import type { SqlConnection, SqliteDriver } from './driver/types';
import {
  corruptError,
  folderError,
  foreignDatabaseError,
  missingError,
  newerVersionError,
  notWritableError,
  olderVersionError,
  translateStoreError,
} from './errors';
import { APPLICATION_ID, migrate, STORE_VERSION } from './migrations';

export interface OpenOptions {
  /** For readers such as the extension: never creates, migrates or writes the store. */
  readonly?: boolean;
  /** How long a write waits for another process's write to finish before failing. */
  busyTimeoutMs?: number;
  /** Clock for the timestamps the store fills in; tests pin it. */
  now?: () => number;
  /** The SQLite driver; by default the process's choice (node:sqlite where Node has it). */
  driver?: SqliteDriver;
  /**
   * Checks every page before anything is read (SQLite's quick_check, about 3 ms a MB), so a damaged
   * store is refused whichever tables a command happens to read. For one-shot commands; a long-lived
   * reader such as the extension host meets damage as its queries touch it.
   */
  verify?: boolean;
}

/**
 * Opens (and when writable, creates and migrates) a store. An existing file is never deleted or
 * recreated: anything unexpected in it (another program's database, a newer format, garbage) is
 * reported before a single byte is written.
 */
export function openStore(path: string, options: OpenOptions = {}): StoreContext {
  const readonly = options.readonly ?? false;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (fs.statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw folderError(path);
  if (readonly && !fs.existsSync(path)) throw missingError(path);
  if (!readonly) createFolder(path);
  const driver = options.driver ?? processDriver();
  let db: SqlConnection | undefined;
  try {
    db = driver.connect(path, { readonly, busyTimeoutMs });
    const ctx = new StoreContext(db, path, readonly, busyTimeoutMs, options.now ?? Date.now);
    checkIdentity(ctx, readonly);
    if (options.verify) checkPages(ctx);
    db.exec('PRAGMA foreign_keys = ON');
    if (!readonly) {
      db.exec('PRAGMA journal_mode = WAL');
      // WAL + NORMAL survives process crashes; only power loss can drop the last commits.
      db.exec('PRAGMA synchronous = NORMAL');
      migrate(ctx);
    }
    return ctx;
  } catch (error) {
    db?.close();
    throw translateStoreError(error, path, busyTimeoutMs);
  }
}

/**
 * Whether there is a store to read: a file with something in it. An empty file (what an interrupted
 * first open or `touch` leaves) holds no run yet, like no file at all.
 */
export function storeExists(path: string): boolean {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  return stat !== undefined && (stat.isDirectory() || stat.size > 0);
}

function createFolder(path: string): void {
  try {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true });
  } catch (error) {
    throw notWritableError(path, error);
  }
}

/** Reading the header first also turns a garbage file into SQLITE_NOTADB before anything writes. */
function checkIdentity(ctx: StoreContext, readonly: boolean): void {
  const version = ctx.pragma('user_version') as number;
  const applicationId = ctx.pragma('application_id') as number;
  const tables = ctx.statement('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number };
  if (applicationId !== APPLICATION_ID && (version > 0 || tables.n > 0)) throw foreignDatabaseError(ctx.path);
  if (version > STORE_VERSION) throw newerVersionError(ctx.path, version, STORE_VERSION);
  if (readonly && version < STORE_VERSION) throw olderVersionError(ctx.path, version, STORE_VERSION);
}

function checkPages(ctx: StoreContext): void {
  const verdict = ctx.db.prepare('PRAGMA quick_check(1)').column() as string[];
  if (verdict[0] !== 'ok') throw corruptError(ctx.path, new Error(verdict.join('\n')));
}

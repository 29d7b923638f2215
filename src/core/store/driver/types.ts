/**
 * The one interface the store talks to SQLite through. Two drivers implement it: Node's built-in
 * `node:sqlite` (every desktop VS Code ≥ 1.101 and Node ≥ 22.13: no native binary to ship) and
 * better-sqlite3 (the standalone CLI on Node 20, which has no built-in SQLite).
 */

export type DriverName = 'node:sqlite' | 'better-sqlite3';

/**
 * Positional values, or one object of named values (`@name` in the SQL, `{ name }` here). Each is a
 * number, bigint, string, Uint8Array or null; both drivers reject anything else when binding.
 */
export type SqlParams = unknown[];
/** A row as an object keyed by column name; callers cast it to the record they selected. */
export type Row = unknown;

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

export interface SqlStatement {
  run(...params: SqlParams): RunResult;
  get(...params: SqlParams): Row | undefined;
  all(...params: SqlParams): Row[];
  /** Each row as an array of its values in the SELECT's column order (the SQL names columns distinctly). */
  rows(...params: SqlParams): unknown[][];
  /** The first column of every row. */
  column(...params: SqlParams): unknown[];
}

export interface DriverInfo {
  name: DriverName;
  /** `sqlite_version()` of the library the driver carries. */
  sqliteVersion: string;
  /** The Node (or Electron's Node) running it. */
  nodeVersion: string;
}

export interface SqlConnection {
  readonly info: DriverInfo;
  readonly isOpen: boolean;
  prepare(sql: string): SqlStatement;
  /** Runs one or more statements that return nothing (migrations, BEGIN/COMMIT). */
  exec(sql: string): void;
  /**
   * Whether a transaction is open; undefined where the driver cannot tell (node:sqlite before 22.16).
   * After a failed statement SQLite may already have rolled back, and a second ROLLBACK would fail.
   */
  readonly inTransaction: boolean | undefined;
  close(): void;
}

export interface ConnectOptions {
  readonly: boolean;
  /** How long a statement waits for another connection's lock; set before the first statement reads the schema. */
  busyTimeoutMs: number;
}

export interface SqliteDriver {
  readonly name: DriverName;
  connect(path: string, options: ConnectOptions): SqlConnection;
}

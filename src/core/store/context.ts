import type { SqlConnection, SqlStatement } from './driver/types';

/** One open connection and what every store module needs alongside it. */
export class StoreContext {
  private readonly statements = new Map<string, SqlStatement>();
  /** Open transactions on this connection: the outermost is BEGIN … COMMIT, nested ones are savepoints. */
  private depth = 0;

  constructor(
    readonly db: SqlConnection,
    readonly path: string,
    /** Opened read-only: readers show what a writer would recover (dead runs as interrupted). */
    readonly readOnly: boolean,
    readonly busyTimeoutMs: number,
    readonly now: () => number,
  ) {}

  /** SQLite compiles on every prepare(), so each distinct SQL text is prepared once per connection. */
  statement(sql: string): SqlStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The value of a pragma that answers with one (`user_version`, `data_version`). */
  pragma(name: string): unknown {
    const row = this.statement(`PRAGMA ${name}`).rows()[0];
    return row?.[0];
  }

  /**
   * IMMEDIATE takes the write lock up front, so a second writer waits for busy_timeout. A deferred
   * transaction that reads first and then writes fails at once (SQLITE_BUSY_SNAPSHOT) when another
   * process committed in between, without waiting.
   */
  write<T>(fn: () => T): T {
    return this.transaction('BEGIN IMMEDIATE', fn);
  }

  /** For answers built from several queries: one snapshot, so a concurrent writer cannot tear them. */
  read<T>(fn: () => T): T {
    return this.transaction('BEGIN DEFERRED', fn);
  }

  private transaction<T>(begin: string, fn: () => T): T {
    const savepoint = this.depth > 0 ? `store_${this.depth}` : undefined;
    this.db.exec(savepoint ? `SAVEPOINT ${savepoint}` : begin);
    this.depth++;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.depth--;
      this.rollback(savepoint);
      throw error;
    }
    this.depth--;
    try {
      this.db.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
    } catch (error) {
      if (!savepoint) this.rollback(undefined);
      throw error;
    }
    return result;
  }

  /** Some failures (a full disk, an I/O error) make SQLite roll back by itself; a second ROLLBACK would mask them. */
  private rollback(savepoint: string | undefined): void {
    if (this.db.inTransaction === false) return;
    try {
      this.db.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
    } catch {
      // Already rolled back by SQLite (the driver could not tell us): the original error is the one to report.
    }
  }
}

import type Database from 'better-sqlite3';

/** One open connection and what every store module needs alongside it. */
export class StoreContext {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Database.Database,
    readonly path: string,
    readonly busyTimeoutMs: number,
    readonly now: () => number,
  ) {}

  /** better-sqlite3 compiles on every prepare(), so each distinct SQL text is prepared once per connection. */
  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * IMMEDIATE takes the write lock up front, so a second writer waits for busy_timeout. A deferred
   * transaction that reads first and then writes fails at once (SQLITE_BUSY_SNAPSHOT) when another
   * process committed in between, without waiting.
   */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** For answers built from several queries: one snapshot, so a concurrent writer cannot tear them. */
  read<T>(fn: () => T): T {
    return this.db.transaction(fn).deferred();
  }
}

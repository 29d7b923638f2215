import type BetterSqlite3 from 'better-sqlite3';
import type { ConnectOptions, Row, RunResult, SqlConnection, SqliteDriver, SqlParams, SqlStatement } from './types';

export type BetterSqliteModule = typeof BetterSqlite3;

class BetterSqliteStatement implements SqlStatement {
  /** better-sqlite3's raw and pluck modes are switches on a statement, so each mode gets its own copy. */
  private raw: BetterSqlite3.Statement | undefined;
  private pluck: BetterSqlite3.Statement | undefined;

  constructor(
    private readonly statement: BetterSqlite3.Statement,
    private readonly compileAgain: () => BetterSqlite3.Statement,
  ) {}

  run(...params: SqlParams): RunResult {
    const { changes, lastInsertRowid } = this.statement.run(...params);
    return { changes, lastInsertRowid: Number(lastInsertRowid) };
  }

  get(...params: SqlParams): Row | undefined {
    return this.statement.get(...params);
  }

  all(...params: SqlParams): Row[] {
    return this.statement.all(...params);
  }

  rows(...params: SqlParams): unknown[][] {
    this.raw ??= this.compileAgain().raw(true);
    return this.raw.all(...params) as unknown[][];
  }

  column(...params: SqlParams): unknown[] {
    this.pluck ??= this.compileAgain().pluck(true);
    return this.pluck.all(...params);
  }
}

class BetterSqliteConnection implements SqlConnection {
  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly info: SqlConnection['info'],
  ) {}

  get isOpen(): boolean {
    return this.db.open;
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  prepare(sql: string): SqlStatement {
    return new BetterSqliteStatement(this.db.prepare(sql), () => this.db.prepare(sql));
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function betterSqliteDriver(Database: BetterSqliteModule): SqliteDriver {
  return {
    name: 'better-sqlite3',
    connect(path: string, options: ConnectOptions): SqlConnection {
      const timeout = Math.max(0, Math.round(options.busyTimeoutMs));
      const db = new Database(path, { readonly: options.readonly, fileMustExist: options.readonly, timeout });
      try {
        const sqliteVersion = db.prepare('SELECT sqlite_version()').pluck().get() as string;
        return new BetterSqliteConnection(db, { name: 'better-sqlite3', sqliteVersion, nodeVersion: process.versions.node });
      } catch (error) {
        db.close();
        throw error;
      }
    },
  };
}

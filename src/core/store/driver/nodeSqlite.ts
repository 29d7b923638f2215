import type { ConnectOptions, Row, RunResult, SqlConnection, SqliteDriver, SqlParams, SqlStatement } from './types';

/**
 * The part of `node:sqlite` the store uses, typed here because the CLI still compiles against Node
 * 20's types, which have no such module. Methods added after 22.13 are optional: VS Code 1.101's
 * Electron runs Node 22.15, which lacks them.
 */
export interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean; timeout?: number }) => NodeDatabase;
}
interface NodeDatabase {
  prepare(sql: string): NodeStatement;
  exec(sql: string): void;
  close(): void;
  /** 22.16+ */
  readonly isTransaction?: boolean;
}
interface NodeStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): Record<string, unknown> | undefined;
  all(...params: unknown[]): Record<string, unknown>[];
  /** 22.16+ */
  setReturnArrays?(enabled: boolean): void;
}

class NodeSqliteStatement implements SqlStatement {
  /** A second compiled copy returning arrays, made on first use where Node can (22.16+). */
  private arrays: NodeStatement | undefined;
  private names: Set<string> | undefined;

  constructor(
    private readonly sql: string,
    private readonly statement: NodeStatement,
    private readonly compileAgain: () => NodeStatement,
  ) {}

  run(...params: SqlParams): RunResult {
    const { changes, lastInsertRowid } = this.statement.run(...this.bound(params));
    return { changes: Number(changes), lastInsertRowid: Number(lastInsertRowid) };
  }

  // Rows come with a null prototype; plain objects keep both drivers' answers identical.
  get(...params: SqlParams): Row | undefined {
    const row = this.statement.get(...this.bound(params));
    return row === undefined ? undefined : { ...row };
  }

  all(...params: SqlParams): Row[] {
    return this.statement.all(...this.bound(params)).map((row) => ({ ...row }));
  }

  rows(...params: SqlParams): unknown[][] {
    const arrays = this.arrayStatement();
    if (arrays) return arrays.all(...this.bound(params)) as unknown as unknown[][];
    // Column order is the object's key order, as long as the SQL names its columns distinctly.
    return this.statement.all(...this.bound(params)).map((row) => Object.values(row));
  }

  column(...params: SqlParams): unknown[] {
    const arrays = this.arrayStatement();
    if (arrays) return (arrays.all(...this.bound(params)) as unknown as unknown[][]).map((row) => row[0]);
    return this.statement.all(...this.bound(params)).map((row) => Object.values(row)[0]);
  }

  /**
   * better-sqlite3 ignores named values the SQL does not use, node:sqlite rejects them; callers share
   * one object of values between a query and its count, so unused names are dropped here.
   */
  private bound(params: SqlParams): SqlParams {
    if (params.length !== 1 || !isNamedValues(params[0])) return params;
    const values = params[0];
    const used = (this.names ??= namedParameters(this.sql));
    for (const key of Object.keys(values)) {
      if (!used.has(key)) return [Object.fromEntries(Object.entries(values).filter(([name]) => used.has(name)))];
    }
    return params;
  }

  private arrayStatement(): NodeStatement | undefined {
    if (this.arrays === undefined && typeof this.statement.setReturnArrays === 'function') {
      this.arrays = this.compileAgain();
      this.arrays.setReturnArrays!(true);
    }
    return this.arrays;
  }
}

function isNamedValues(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/** The `@name`, `:name` and `$name` parameters of a statement, outside its string literals. */
function namedParameters(sql: string): Set<string> {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''");
  return new Set(Array.from(code.matchAll(/[@:$]([A-Za-z_][A-Za-z0-9_]*)/g), (m) => m[1]));
}

class NodeSqliteConnection implements SqlConnection {
  private open = true;

  constructor(
    private readonly db: NodeDatabase,
    readonly info: SqlConnection['info'],
  ) {}

  get isOpen(): boolean {
    return this.open;
  }

  get inTransaction(): boolean | undefined {
    return this.db.isTransaction;
  }

  prepare(sql: string): SqlStatement {
    return new NodeSqliteStatement(sql, this.db.prepare(sql), () => this.db.prepare(sql));
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.db.close();
  }
}

export function nodeSqliteDriver(sqlite: NodeSqliteModule): SqliteDriver {
  return {
    name: 'node:sqlite',
    connect(path: string, options: ConnectOptions): SqlConnection {
      const timeout = Math.max(0, Math.round(options.busyTimeoutMs));
      const db = new sqlite.DatabaseSync(path, { readOnly: options.readonly, timeout });
      try {
        // Again as a pragma: Node 22.15 ignores the option. First, since preparing anything reads the
        // schema, which waits for a lock only once a timeout is set.
        db.exec(`PRAGMA busy_timeout = ${timeout}`);
        const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
        return new NodeSqliteConnection(db, { name: 'node:sqlite', sqliteVersion: v, nodeVersion: process.versions.node });
      } catch (error) {
        db.close();
        throw error;
      }
    },
  };
}

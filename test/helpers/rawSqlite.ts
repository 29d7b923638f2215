import { processDriver } from '../../src/core/store/driver/select';
import type { SqlStatement } from '../../src/core/store/driver/types';

/** A plain connection for tests that poke at a store file behind the store's back, through the same driver seam. */
export interface RawDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  /** The first column of the first row. */
  value(sql: string, ...params: unknown[]): unknown;
  close(): void;
}

export function openRaw(file: string, options: { readonly?: boolean } = {}): RawDatabase {
  const db = processDriver().connect(file, { readonly: options.readonly ?? false, busyTimeoutMs: 5000 });
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => db.prepare(sql),
    value: (sql, ...params) => db.prepare(sql).rows(...params)[0]?.[0],
    close: () => db.close(),
  };
}

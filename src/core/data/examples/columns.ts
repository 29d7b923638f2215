import type { Value } from '../cells';
import type { ColumnMeta } from './format';

/**
 * Typed views of one column over a row group (or over a whole split after `concatBatches`).
 * `valid[i]` is 1 when row i has a value; consumers loop over the typed arrays directly and use
 * `get` only where convenience beats speed.
 */
export class NumberColumn {
  constructor(
    readonly name: string,
    readonly type: 'int' | 'float',
    /** NaN where missing. */
    readonly values: Float64Array,
    readonly valid: Uint8Array,
  ) {}

  get length(): number {
    return this.values.length;
  }

  get(i: number): number | null {
    return this.valid[i] ? this.values[i] : null;
  }
}

export class BoolColumn {
  readonly type = 'bool';

  constructor(
    readonly name: string,
    /** 1 for true, 0 for false or missing. */
    readonly values: Uint8Array,
    readonly valid: Uint8Array,
  ) {}

  get length(): number {
    return this.values.length;
  }

  get(i: number): boolean | null {
    return this.valid[i] ? this.values[i] === 1 : null;
  }
}

export class StringColumn {
  readonly type = 'string';

  constructor(
    readonly name: string,
    /** Index into `dictionary`, -1 where missing. */
    readonly codes: Int32Array,
    readonly dictionary: readonly string[],
    readonly valid: Uint8Array,
  ) {}

  get length(): number {
    return this.codes.length;
  }

  get(i: number): string | null {
    const code = this.codes[i];
    return code < 0 ? null : this.dictionary[code];
  }
}

export type ColumnView = NumberColumn | BoolColumn | StringColumn;

/** Rows of a row group, a span or a split, column by column. */
export class ColumnBatch {
  private readonly byName: Map<string, ColumnView>;

  constructor(
    readonly rows: number,
    readonly columns: readonly ColumnView[],
    /** The span the rows come from, when they come from one. */
    readonly span?: string,
  ) {
    this.byName = new Map(columns.map((c) => [c.name, c]));
  }

  column(name: string): ColumnView {
    const column = this.byName.get(name);
    if (!column) throw new Error(`no column '${name}' in the examples (columns: ${[...this.byName.keys()].join(', ')})`);
    return column;
  }

  /** One row as an object, for tests, previews and serving single examples. */
  row(i: number): Record<string, Value> {
    const row: Record<string, Value> = {};
    for (const column of this.columns) row[column.name] = column.get(i);
    return row;
  }
}

/** Joins row groups into one batch; string dictionaries are merged and codes renumbered. */
export function concatBatches(batches: readonly ColumnBatch[], columns: readonly ColumnMeta[], span?: string): ColumnBatch {
  const rows = batches.reduce((n, b) => n + b.rows, 0);
  const views = columns.map((meta, c): ColumnView => {
    const parts = batches.map((b) => b.columns[c]);
    const valid = concat(
      Uint8Array,
      parts.map((p) => p.valid),
      rows,
    );
    switch (meta.type) {
      case 'int':
      case 'float':
        return new NumberColumn(
          meta.name,
          meta.type,
          concat(
            Float64Array,
            parts.map((p) => (p as NumberColumn).values),
            rows,
          ),
          valid,
        );
      case 'bool':
        return new BoolColumn(
          meta.name,
          concat(
            Uint8Array,
            parts.map((p) => (p as BoolColumn).values),
            rows,
          ),
          valid,
        );
      case 'string':
        return mergeStrings(meta.name, parts as StringColumn[], rows, valid);
    }
  });
  return new ColumnBatch(rows, views, span);
}

function concat<T extends Float64Array | Uint8Array>(Type: { new (n: number): T }, parts: readonly T[], rows: number): T {
  const out = new Type(rows);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function mergeStrings(name: string, parts: readonly StringColumn[], rows: number, valid: Uint8Array): StringColumn {
  const index = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(rows);
  let at = 0;
  for (const part of parts) {
    const renumber = part.dictionary.map((word) => {
      let code = index.get(word);
      if (code === undefined) {
        code = dictionary.push(word) - 1;
        index.set(word, code);
      }
      return code;
    });
    for (let i = 0; i < part.codes.length; i++) {
      const code = part.codes[i];
      codes[at++] = code < 0 ? -1 : renumber[code];
    }
  }
  return new StringColumn(name, codes, dictionary, valid);
}

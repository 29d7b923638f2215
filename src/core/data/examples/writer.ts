import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'fs';
import * as path from 'path';
import type { Value } from '../cells';
import { columnBuilder, encodeRowGroup, type ColumnBuilder } from './encode';
import { DEFAULT_ROW_GROUP_ROWS, EXAMPLES_FORMAT, EXAMPLES_VERSION, META_FILE } from './format';
import type { ColumnMeta, ExamplesMeta, SpanMeta, SplitMeta } from './format';

/**
 * Writes an examples artifact into `dir`. Memory stays bounded: each span holds one row group and
 * writes it out when full. Writes are synchronous because they happen once per row group (megabytes)
 * in the CLI process, which keeps `append` a plain call on the per-row path.
 */
export class ExamplesWriter {
  private readonly splits: SplitMeta[] = [];
  private readonly open = new Set<SpanWriter>();

  constructor(
    readonly dir: string,
    readonly columns: readonly ColumnMeta[],
    private readonly rowGroupRows = DEFAULT_ROW_GROUP_ROWS,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  openSpan(split: string, span: { name: string; source: string; absentColumns?: string[] }): SpanWriter {
    let splitMeta = this.splits.find((s) => s.name === split);
    if (!splitMeta) {
      splitMeta = { name: split, rows: 0, spans: [] };
      this.splits.push(splitMeta);
    }
    const file = `${split}-${String(splitMeta.spans.length).padStart(5, '0')}.bin`;
    const meta: SpanMeta = { ...span, file, rows: 0, badRows: 0, absentColumns: span.absentColumns ?? [], rowGroups: [] };
    splitMeta.spans.push(meta);
    const writer = new SpanWriter(path.join(this.dir, file), this.columns, this.rowGroupRows, meta, () => {
      splitMeta.rows += meta.rows;
      this.open.delete(writer);
    });
    this.open.add(writer);
    return writer;
  }

  /** Closes every open span file after a failure; the caller discards the folder. */
  abort(): void {
    for (const span of this.open) span.abort();
  }

  /** Writes `meta.json`; every span must be closed. */
  finish(): ExamplesMeta {
    if (this.open.size > 0) throw new Error('ExamplesWriter.finish called with spans still open');
    const meta: ExamplesMeta = {
      format: EXAMPLES_FORMAT,
      version: EXAMPLES_VERSION,
      rowGroupRows: this.rowGroupRows,
      columns: [...this.columns],
      splits: this.splits,
      badRows: this.splits.reduce((n, s) => n + s.spans.reduce((m, span) => m + span.badRows, 0), 0),
    };
    writeFileSync(path.join(this.dir, META_FILE), JSON.stringify(meta, null, 1));
    return meta;
  }
}

export class SpanWriter {
  private readonly fd: number;
  private readonly builders: ColumnBuilder[];
  private pending = 0;
  private offset = 0;

  constructor(
    file: string,
    columns: readonly ColumnMeta[],
    private readonly rowGroupRows: number,
    readonly meta: SpanMeta,
    private readonly onClose: () => void,
  ) {
    this.fd = openSync(file, 'w');
    this.builders = columns.map((c) => columnBuilder(c.type, rowGroupRows));
  }

  /** Appends one row: `row[pick[c]]` (or `row[c]`) is the value of column c. */
  append(row: readonly Value[], pick?: readonly number[]): void {
    const builders = this.builders;
    for (let c = 0; c < builders.length; c++) builders[c].push(row[pick ? pick[c] : c]);
    if (++this.pending === this.rowGroupRows) this.flush();
  }

  close(badRows = 0): SpanMeta {
    if (this.pending > 0) this.flush();
    closeSync(this.fd);
    this.meta.badRows = badRows;
    this.onClose();
    return this.meta;
  }

  abort(): void {
    closeSync(this.fd);
    this.onClose();
  }

  private flush(): void {
    const bytes = encodeRowGroup(this.pending, this.builders);
    writeSync(this.fd, bytes, 0, bytes.length, this.offset);
    this.meta.rowGroups.push({ offset: this.offset, length: bytes.length, rows: this.pending });
    this.meta.rows += this.pending;
    this.offset += bytes.length;
    this.pending = 0;
  }
}

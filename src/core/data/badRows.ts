import { closeSync, openSync, writeSync } from 'fs';
import { formatLocation, UserError, type Problem, type SourceLocation } from '../util/problems';
import type { BadRow } from './csv';

const KEPT = 10;

/** Every bad row goes to a JSON-lines file next to the examples, so none is silently lost. */
export class BadRowLog {
  count = 0;
  readonly first: BadRow[] = [];
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'w');
  }

  add(rows: readonly BadRow[]): void {
    if (rows.length === 0) return;
    writeSync(this.fd, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    this.count += rows.length;
    this.first.push(...rows.slice(0, KEPT - this.first.length));
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** `maxBadRows` is a count, or a share of all rows when strictly between 0 and 1. */
export function isShare(maxBadRows: number): boolean {
  return maxBadRows > 0 && maxBadRows < 1;
}

export function badRowLimit(maxBadRows: number, totalRows: number): number {
  return isShare(maxBadRows) ? Math.floor(maxBadRows * totalRows) : maxBadRows;
}

/**
 * The error for too many bad rows: how many, the limit, and the first few with file:line, each
 * as its own problem so editors and CI logs link to the lines.
 */
export function tooManyBadRows(log: BadRowLog, maxBadRows: number, totalRows: number | undefined, where: SourceLocation, keptAt?: string): UserError {
  const percent = Number((maxBadRows * 100).toPrecision(3));
  const limit = isShare(maxBadRows) ? `${percent}% of ${totalRows} rows = ${badRowLimit(maxBadRows, totalRows ?? 0)}` : `${maxBadRows}`;
  const counted = totalRows === undefined ? `at least ${log.count}` : `${log.count}`;
  const summary: Problem = {
    message: `too many bad rows: ${counted}, more than data.max_bad_rows (${limit}); first: ${log.first
      .slice(0, 3)
      .map((r) => `${formatLocation({ file: r.file, line: r.line })} ${r.reason}`)
      .join('; ')}`,
    severity: 'error',
    location: where,
    hint: `fix the rows or raise data.max_bad_rows; ${keptAt ? `every bad row is listed in ${keptAt}` : `the first ${log.first.length} are below`}`,
  };
  const rows: Problem[] = log.first.map((r) => ({
    message: r.reason,
    severity: 'error',
    location: { file: r.file, line: r.line, row: r.row },
  }));
  return new UserError([summary, ...rows]);
}

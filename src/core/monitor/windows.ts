import type { MonitorConfig } from '../pipeline/config';
import type { ServedRecord } from '../serve/log';
import type { WindowInfo } from './types';

/** A closed window and its rows. */
export interface ServedWindow {
  info: WindowInfo;
  records: ServedRecord[];
}

interface Open {
  version: number;
  /** Time windows: the period's start; count windows: unused. */
  start: number;
  records: ServedRecord[];
}

/**
 * Groups served rows into windows of one model version each: `every` rows in log order, or the rows
 * served in each epoch-aligned period. A count window closes when full; a time window once its
 * period has ended (`close(now)`), so a window is checked once, whole. Rows of a period that has
 * already been checked arrive too late to count; they are counted as `late`.
 */
export class WindowAssembler {
  private readonly open = new Map<string, Open>();
  /** Time windows: every period ending at or before this has been closed. */
  private closedUntil = -Infinity;
  late = 0;

  constructor(
    private readonly model: string,
    private readonly spec: MonitorConfig['window'],
  ) {}

  /** Adds rows in log order; returns the count windows they filled. */
  add(records: readonly ServedRecord[]): ServedWindow[] {
    const closed: ServedWindow[] = [];
    for (const record of records) {
      if ('rows' in this.spec) {
        const key = `v${record.version}`;
        const window = this.open.get(key) ?? { version: record.version, start: record.at, records: [] };
        window.records.push(record);
        this.open.set(key, window);
        if (window.records.length === this.spec.rows) {
          this.open.delete(key);
          closed.push(this.finish(window));
        }
        continue;
      }
      const start = Math.floor(record.at / this.spec.ms) * this.spec.ms;
      if (start + this.spec.ms <= this.closedUntil) {
        this.late++;
        continue;
      }
      const key = `v${record.version}@${start}`;
      const window = this.open.get(key) ?? { version: record.version, start, records: [] };
      window.records.push(record);
      this.open.set(key, window);
    }
    return closed;
  }

  /** Time windows whose period has ended by `now`, oldest first. */
  close(now: number): ServedWindow[] {
    if ('rows' in this.spec) return [];
    const ms = this.spec.ms;
    const due = [...this.open.entries()].filter(([, w]) => w.start + ms <= now).sort((a, b) => a[1].start - b[1].start || a[1].version - b[1].version);
    for (const [key] of due) this.open.delete(key);
    this.closedUntil = Math.max(this.closedUntil, Math.floor(now / ms) * ms);
    return due.map(([, w]) => this.finish(w));
  }

  /** Rows waiting in windows that are not complete yet, per version. */
  pending(): { version: number; rows: number }[] {
    const byVersion = new Map<number, number>();
    for (const w of this.open.values()) byVersion.set(w.version, (byVersion.get(w.version) ?? 0) + w.records.length);
    return [...byVersion.entries()].sort((a, b) => a[0] - b[0]).map(([version, rows]) => ({ version, rows }));
  }

  private finish(w: Open): ServedWindow {
    const { records, version } = w;
    const info: WindowInfo =
      'rows' in this.spec
        ? {
            key: `v${version}/rows@${records[0].id}`,
            model: this.model,
            version,
            start: records.reduce((t, r) => Math.min(t, r.at), Infinity),
            end: records.reduce((t, r) => Math.max(t, r.at), -Infinity),
            rows: records.length,
          }
        : {
            key: `v${version}/time@${new Date(w.start).toISOString()}`,
            model: this.model,
            version,
            start: w.start,
            end: w.start + this.spec.ms,
            rows: records.length,
          };
    return { info, records };
  }
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FEEDBACK_LOG, requestLogFile, type FeedbackRecord, type ServedRecord } from './log';

export interface RequestLogOptions {
  /** The log root; records go to `<dir>/<model>/`. */
  dir: string;
  model: string;
  /** Share of served rows logged, 0..1. Feedback is always logged. */
  sampleRate: number;
  flushMs: number;
  /** Records held in memory at most; beyond, new ones are dropped (and counted). */
  maxBuffered: number;
  random(): number;
  /** A write failure, once per kind of failure. */
  onError(message: string): void;
}

/**
 * The sampled request/prediction log, kept off the request path: requests only push records into
 * memory; a timer (and close) appends them as JSON lines, one file per UTC day. A slow or failing
 * disk never delays or fails a request: records wait (up to a bound) for the next flush, and the
 * failure is reported once.
 */
export class RequestLog {
  private records: ServedRecord[] = [];
  private feedback: FeedbackRecord[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly folder: string;
  private readonly reported = new Set<string>();
  /** Lines a failed write left, by file. */
  private unwritten = new Map<string, string[]>();
  dropped = 0;

  constructor(private readonly o: RequestLogOptions) {
    this.folder = path.join(o.dir, o.model);
    this.timer = setInterval(() => void this.flush(), o.flushMs);
    this.timer.unref();
  }

  /** Whether to log the next served row (decided per row, so a batch is sampled evenly). */
  sampled(): boolean {
    return this.o.sampleRate >= 1 || (this.o.sampleRate > 0 && this.o.random() < this.o.sampleRate);
  }

  get wantsRows(): boolean {
    return this.o.sampleRate > 0;
  }

  served(records: readonly ServedRecord[]): void {
    this.hold(this.records, records);
  }

  feedbackReceived(records: readonly FeedbackRecord[]): void {
    this.hold(this.feedback, records);
  }

  private hold<T>(buffer: T[], records: readonly T[]): void {
    const room = this.o.maxBuffered - this.held();
    if (room >= records.length) buffer.push(...records);
    else {
      if (room > 0) buffer.push(...records.slice(0, room));
      this.dropped += records.length - Math.max(room, 0);
    }
  }

  private held(): number {
    let n = this.records.length + this.feedback.length;
    for (const lines of this.unwritten.values()) n += lines.length;
    return n;
  }

  /** Writes what is held; concurrent calls wait for the write in progress, then write what came since. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.records.length && !this.feedback.length && !this.unwritten.size) return;
    this.flushing = this.write().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async write(): Promise<void> {
    // Serialised here, not when the request is answered.
    const files = this.unwritten;
    this.unwritten = new Map();
    const add = (file: string, line: string) => {
      let lines = files.get(file);
      if (!lines) files.set(file, (lines = []));
      lines.push(line);
    };
    for (const r of this.records) add(requestLogFile(r.at), JSON.stringify(r));
    for (const f of this.feedback) add(FEEDBACK_LOG, JSON.stringify(f));
    this.records = [];
    this.feedback = [];
    try {
      await fs.mkdir(this.folder, { recursive: true });
      for (const [file, lines] of files) {
        await fs.appendFile(path.join(this.folder, file), lines.join('\n') + '\n');
        files.delete(file);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      if (!this.reported.has(code)) {
        this.reported.add(code);
        this.o.onError(`the request log in ${this.folder} cannot be written (${(e as Error).message}); serving goes on and the records wait for the next try`);
      }
      // What was not written waits for the next flush, ahead of newer records.
      this.unwritten = files;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

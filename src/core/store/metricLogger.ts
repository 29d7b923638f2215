import type { MetricPoint } from './types';

export interface MetricLoggerOptions {
  /** Flush once this many points are buffered. */
  maxPoints?: number;
  /** Flush this long after the first unflushed point, so a slow loop's metrics still show up live. */
  maxDelayMs?: number;
}

/**
 * Buffers a training loop's metrics so a step costs no commit: the points go to the store in one
 * transaction every `maxPoints` points or `maxDelayMs`, and on flush() and close(). A failed timed
 * flush is rethrown by the next call, since a timer has nobody to throw to.
 */
export class MetricLogger {
  private buffer: MetricPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;
  private readonly maxPoints: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly write: (points: MetricPoint[]) => void,
    private readonly now: () => number,
    private readonly onClose: (logger: MetricLogger) => void,
    options: MetricLoggerOptions = {},
  ) {
    this.maxPoints = options.maxPoints ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 1000;
  }

  /** Takes a tfjs-style logs object: `logger.log({ loss: 0.31, acc: 0.88 }, epoch)`. */
  log(values: Record<string, number>, step?: number): void {
    this.throwIfUnusable();
    const timestamp = this.now();
    for (const [key, value] of Object.entries(values)) this.buffer.push({ key, value, step, timestamp });
    if (this.buffer.length >= this.maxPoints) this.flush();
    else if (this.timer === undefined && this.buffer.length > 0) {
      this.timer = setTimeout(() => this.flushFromTimer(), this.maxDelayMs);
      // A pending flush must not keep the process alive; close() writes whatever is left.
      this.timer.unref();
    }
  }

  flush(): void {
    this.throwIfUnusable();
    this.writeBuffer();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
    this.writeBuffer();
    this.rethrowFailure();
  }

  /** Points that failed to write stay buffered, so a later flush (once the store is free) still saves them. */
  private writeBuffer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const points = this.buffer;
    this.buffer = [];
    try {
      this.write(points);
    } catch (error) {
      this.buffer = points.concat(this.buffer);
      throw error;
    }
  }

  private flushFromTimer(): void {
    try {
      this.writeBuffer();
    } catch (error) {
      this.failure = error;
    }
  }

  private throwIfUnusable(): void {
    if (this.closed) throw new Error('metric logger is closed');
    this.rethrowFailure();
  }

  private rethrowFailure(): void {
    if (this.failure === undefined) return;
    const failure = this.failure;
    this.failure = undefined;
    throw failure;
  }
}

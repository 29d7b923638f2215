import type { MetricPoint } from '../store/types';
import { parseTrackingLine, type TrackedArtifact } from './protocol';

/** Where tracked records go: the runner's store connection for this step, and the step's log. */
export interface TrackingSink {
  logMetrics(points: readonly MetricPoint[]): void;
  logParams(params: Record<string, string>): void;
  setTags(tags: Record<string, string>): void;
  log(line: string): void;
  /** A file the code made, to record when it ends; a problem to report when it cannot take it. */
  artifact(record: TrackedArtifact): string | undefined;
  /** How a run recorded outside a pipeline ended; a step has none (its exit code says). */
  end?(status: 'complete' | 'failed', error?: string): void;
}

export interface TrackingIngestOptions {
  /** Write the buffered points once there are this many… */
  maxPoints?: number;
  /** …or this long after the first of them, so a slow loop's curve still moves. */
  maxDelayMs?: number;
  /** Problems written to the log one by one; the rest are counted. */
  maxProblemsShown?: number;
}

export interface TrackingSummary {
  lines: number;
  points: number;
  problems: number;
}

/**
 * Takes a step's tracking lines (protocol.ts) as they arrive. Metric points are written in batches,
 * one transaction each, so a million points cost a few hundred commits, not a million; parameters
 * and tags at once. What was written stays written when the step is killed. A bad line is reported
 * with its number and skipped.
 */
export class TrackingIngest {
  private buffer: MetricPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly summary: TrackingSummary = { lines: 0, points: 0, problems: 0 };
  private readonly maxPoints: number;
  private readonly maxDelayMs: number;
  private readonly maxProblemsShown: number;

  constructor(
    private readonly sink: TrackingSink,
    private readonly now: () => number = Date.now,
    options: TrackingIngestOptions = {},
  ) {
    this.maxPoints = options.maxPoints ?? 5000;
    this.maxDelayMs = options.maxDelayMs ?? 250;
    this.maxProblemsShown = options.maxProblemsShown ?? 20;
  }

  line(text: string): void {
    const number = ++this.summary.lines;
    if (!text.trim()) return;
    const parsed = parseTrackingLine(text);
    if ('problem' in parsed) {
      this.problem(number, parsed.problem);
      return;
    }
    const { record, skipped } = parsed;
    for (const s of skipped) this.problem(number, `skipped ${s}`);
    switch (record.type) {
      case 'params':
        this.flush();
        this.sink.logParams(record.values);
        return;
      case 'tags':
        this.flush();
        this.sink.setTags(record.values);
        return;
      case 'artifact':
      case 'model': {
        const refused = this.sink.artifact(record);
        if (refused) this.problem(number, refused);
        return;
      }
      case 'end':
        this.flush();
        if (this.sink.end) this.sink.end(record.status, record.error);
        else this.problem(number, "ignored an end: a step's exit code says how it ended");
        return;
      case 'metrics': {
        const timestamp = Math.round(record.at ?? this.now());
        for (const [key, value] of Object.entries(record.values)) this.buffer.push({ key, value, step: record.step, timestamp });
        if (this.buffer.length >= this.maxPoints) this.flush();
        else if (this.timer === undefined && this.buffer.length > 0) this.timer = setTimeout(() => this.flush(), this.maxDelayMs);
        return;
      }
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.buffer.length) return;
    const points = this.buffer;
    this.buffer = [];
    this.sink.logMetrics(points);
    this.summary.points += points.length;
  }

  /** The step ended (or was killed): write what is left and say what came in. */
  close(): TrackingSummary {
    this.flush();
    const hidden = this.summary.problems - this.maxProblemsShown;
    if (hidden > 0) this.sink.log(`tracking: ${hidden} more problem${hidden === 1 ? '' : 's'} not shown`);
    return { ...this.summary };
  }

  private problem(line: number, message: string): void {
    if (++this.summary.problems <= this.maxProblemsShown) this.sink.log(`tracking line ${line}: ${message}`);
  }
}

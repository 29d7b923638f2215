import { isTrafficPoint, type TrafficPoint } from '../../shared/monitoring';
import { array, bool, int, isRecord, nullable, num, object, optional, str, type Schema } from '../../shared/schema';
import { formatCount } from '../../core/util/format';

/**
 * Reading what `mlops serve --json` and `mlops monitor --follow --json` print: one JSON object per
 * line on stdout. Chunks from a pipe split lines anywhere, and a line may be something else (a
 * warning a library printed), so lines are reassembled first and anything that is not a known
 * event comes back as text for the log rather than being dropped or thrown on.
 */

/** Reassembles lines from chunks of a stream. */
export class LineSplitter {
  private partial = '';

  /** The complete lines in `chunk` (with what came before it), without their line endings. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    return lines.map(stripCr).filter((l) => l.length > 0);
  }

  /** What is left when the stream ends: a last line without a line ending. */
  end(): string[] {
    const rest = stripCr(this.partial);
    this.partial = '';
    return rest ? [rest] : [];
  }
}

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/** One line of `mlops serve --json` (see src/cli/commands/serve.ts and src/core/serve/events.ts). */
export type ServeLine =
  | { event: 'ready'; url: string; model: string; version: number | null; dir: string; logDir: string }
  | { event: 'loaded'; version: number; ms: number }
  | { event: 'load-failed'; version: number; error: string }
  | { event: 'swapped'; from: number | null; to: number }
  | { event: 'unloaded'; version: number }
  | { event: 'aliases-error' | 'folder-error' | 'log-error' | 'request-error'; error: string }
  | { event: 'traffic'; point: TrafficPoint }
  | { event: 'closed' }
  /** Not an event this version knows: logged as it is. */
  | { event: 'text'; text: string };

const isError = object({ error: str });

/** Each event's fields (besides `event`): a line whose fields do not match is logged as text. */
const SHAPES: Record<string, Schema<unknown>> = {
  ready: object({ url: str, model: str, version: nullable(int), dir: str, logDir: str }),
  loaded: object({ version: int, ms: num }),
  'load-failed': object({ version: int, error: str }),
  swapped: object({ from: nullable(int), to: int }),
  unloaded: object({ version: int }),
  'aliases-error': isError,
  'folder-error': isError,
  'log-error': isError,
  'request-error': isError,
  traffic: isTrafficPoint,
  closed: object({}),
};

export function parseServeLine(line: string): ServeLine {
  const o = parseObject(line);
  const shape = o && typeof o.event === 'string' && Object.hasOwn(SHAPES, o.event) ? SHAPES[o.event] : undefined;
  if (!o || !shape?.(o)) return { event: 'text', text: line };
  if (o.event === 'traffic' && isTrafficPoint(o)) {
    const { at, requestsPerSecond, errorsPerSecond, rowsPerSecond, p50Ms, p99Ms, version } = o;
    return { event: 'traffic', point: { at, requestsPerSecond, errorsPerSecond, rowsPerSecond, p50Ms, p99Ms, version } };
  }
  return o as unknown as ServeLine;
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** What a window summary reads of a window report (src/core/monitor/types.ts WindowReport). */
const isWindowReport = object({
  window: object({ key: str, rows: int }),
  drift: array(object({ fired: bool })),
  predictionDrift: array(object({ fired: bool })),
  metrics: optional(object({ checks: array(object({ outcome: str })) })),
  alerts: optional(array(object({ message: str }))),
  notes: optional(array(str)),
});

/**
 * One line for the log from a window report of `mlops monitor --follow --json`:
 * "v3/rows@… · 1,000 rows · 2 of 9 checks fired · 1 alert: fare: wasserstein 0.42 > 0.1".
 * Undefined when the line is not a window report.
 */
export function windowSummary(line: string): string | undefined {
  const o = parseObject(line);
  if (!isWindowReport(o)) return undefined;
  const checks = [...o.drift, ...o.predictionDrift];
  const metricChecks = o.metrics?.checks ?? [];
  const fired = checks.filter((c) => c.fired).length + metricChecks.filter((c) => c.outcome === 'failed').length;
  const total = checks.length + metricChecks.filter((c) => c.outcome !== 'skipped').length;
  const alerts = (o.alerts ?? []).map((a) => a.message);
  const parts = [o.window.key, `${formatCount(o.window.rows)} rows`, total ? `${fired} of ${total} checks fired` : 'nothing checked'];
  if (alerts.length) parts.push(`${alerts.length} alert${alerts.length === 1 ? '' : 's'}: ${alerts.join('; ')}`);
  const notes = o.notes ?? [];
  if (!total && notes.length) parts.push(notes.join('; '));
  return parts.join(' · ');
}

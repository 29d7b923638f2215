import { arrayOf, hasFields, isInt, isNum, isObj, isStr, orNull, type Check } from '../../shared/guards';
import type { TrafficPoint } from '../../shared/monitoring';
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

const SHAPES: Record<string, Record<string, Check>> = {
  ready: { url: isStr, model: isStr, version: orNull(isInt), dir: isStr, logDir: isStr },
  loaded: { version: isInt, ms: isNum },
  'load-failed': { version: isInt, error: isStr },
  swapped: { from: orNull(isInt), to: isInt },
  unloaded: { version: isInt },
  'aliases-error': { error: isStr },
  'folder-error': { error: isStr },
  'log-error': { error: isStr },
  'request-error': { error: isStr },
  traffic: {
    at: isNum,
    requestsPerSecond: isNum,
    errorsPerSecond: isNum,
    rowsPerSecond: isNum,
    p50Ms: orNull(isNum),
    p99Ms: orNull(isNum),
    version: orNull(isInt),
  },
  closed: {},
};

export function parseServeLine(line: string): ServeLine {
  const o = parseObject(line);
  const shape = o && typeof o.event === 'string' && Object.hasOwn(SHAPES, o.event) ? SHAPES[o.event] : undefined;
  if (!o || !shape || !hasFields(o, shape)) return { event: 'text', text: line };
  if (o.event === 'traffic') {
    const { at, requestsPerSecond, errorsPerSecond, rowsPerSecond, p50Ms, p99Ms, version } = o as unknown as TrafficPoint;
    return { event: 'traffic', point: { at, requestsPerSecond, errorsPerSecond, rowsPerSecond, p50Ms, p99Ms, version } };
  }
  return o as unknown as ServeLine;
}

function parseObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const isCheck = (v: unknown) => hasFields(v, { fired: (f) => typeof f === 'boolean' });

/**
 * One line for the log from a window report of `mlops monitor --follow --json`:
 * "v3/rows@… · 1,000 rows · 2 of 9 checks fired · 1 alert: fare: wasserstein 0.42 > 0.1".
 * Undefined when the line is not a window report.
 */
export function windowSummary(line: string): string | undefined {
  const o = parseObject(line);
  if (!o || !hasFields(o.window, { key: isStr, rows: isInt }) || !arrayOf(isCheck)(o.drift) || !arrayOf(isCheck)(o.predictionDrift)) return undefined;
  const window = o.window as { key: string; rows: number };
  const checks = [...(o.drift as { fired: boolean }[]), ...(o.predictionDrift as { fired: boolean }[])];
  const metricChecks = hasFields(o.metrics, { checks: arrayOf((c) => hasFields(c, { outcome: isStr })) })
    ? (o.metrics as { checks: { outcome: string }[] }).checks
    : [];
  const fired = checks.filter((c) => c.fired).length + metricChecks.filter((c) => c.outcome === 'failed').length;
  const total = checks.length + metricChecks.filter((c) => c.outcome !== 'skipped').length;
  const alerts = Array.isArray(o.alerts) ? o.alerts.map((a) => (hasFields(a, { message: isStr }) ? (a.message as string) : '?')) : [];
  const parts = [window.key, `${formatCount(window.rows)} rows`, total ? `${fired} of ${total} checks fired` : 'nothing checked'];
  if (alerts.length) parts.push(`${alerts.length} alert${alerts.length === 1 ? '' : 's'}: ${alerts.join('; ')}`);
  const notes = arrayOf(isStr)(o.notes) ? (o.notes as string[]) : [];
  if (!total && notes.length) parts.push(notes.join('; '));
  return parts.join(' · ');
}

import { FAIRNESS_METRICS } from '../evaluate/metricNames';
import type { ComparatorThresholds } from '../schema/types';
import type { Problem } from '../util/problems';
import { normalizeThresholds, thresholdProblems, type RawThreshold } from './analysisSections';
import type { MonitorAction, MonitorConfig } from './config';
import type { DocumentPositions } from './positions';

/** What `monitor:` looks like once it passed the JSON schema. */
export interface RawMonitor {
  window?: { every?: number | string; min_rows?: number };
  drift?: Record<string, ComparatorThresholds>;
  prediction_drift?: ComparatorThresholds;
  metrics?: Record<string, Omit<RawThreshold, 'slices'>>;
  actions?: MonitorAction[];
}

export const DEFAULT_WINDOW_ROWS = 1000;
/** Distances and p-values on a few dozen rows flag noise (Evidently's complaint about tiny batches). */
export const DEFAULT_MIN_ROWS = 100;

const DURATION = /^([1-9][0-9]*)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Problems the JSON schema cannot express in `monitor:`. */
export function monitorProblems(raw: RawMonitor | undefined, positions: DocumentPositions): Problem[] {
  if (!raw || typeof raw !== 'object') return [];
  const problems: Problem[] = [];
  const every = raw.window?.every;
  if (typeof every === 'string' && !DURATION.test(every)) {
    problems.push({
      severity: 'error',
      location: positions.locate(['monitor', 'window', 'every']),
      message: `monitor.window.every: '${every}' is neither a number of rows nor a duration`,
      hint: 'a number of served rows (1000), or a duration: 30s, 15m, 1h, 1d',
    });
  }
  const minRows = raw.window?.min_rows;
  if (typeof every === 'number' && minRows !== undefined && minRows > every) {
    problems.push({
      severity: 'error',
      location: positions.locate(['monitor', 'window', 'min_rows']),
      message: `monitor.window.min_rows ${minRows} is above the ${every} rows of a window, so no window would be checked`,
      hint: `at most ${every}, or larger windows`,
    });
  }
  problems.push(...thresholdProblems(raw.metrics, positions, ['monitor', 'metrics']));
  for (const metric of Object.keys(raw.metrics ?? {})) {
    if (!(FAIRNESS_METRICS as readonly string[]).includes(metric)) continue;
    problems.push({
      severity: 'error',
      location: positions.locate(['monitor', 'metrics', metric], { key: true }),
      message: `'${metric}' compares sensitive groups, which served rows are not sliced by: it is not monitored online`,
      hint: 'monitor a model metric (accuracy, auc, ...) and keep fairness thresholds under evaluate',
    });
  }
  return problems;
}

export function normalizeMonitor(raw: RawMonitor, positions: DocumentPositions): MonitorConfig {
  const defaults = defaultMonitorConfig(positions.locate(['monitor'], { key: true }));
  const every = raw.window?.every;
  const window = every === undefined ? defaults.window : typeof every === 'number' ? { rows: every } : { ms: durationMs(every), text: every };
  return {
    ...defaults,
    window,
    minRows: raw.window?.min_rows ?? ('rows' in window ? Math.min(defaults.minRows, window.rows) : defaults.minRows),
    drift: raw.drift ?? defaults.drift,
    predictionDrift: raw.prediction_drift ?? defaults.predictionDrift,
    metrics: normalizeThresholds(raw.metrics, positions, ['monitor', 'metrics']),
    actions: raw.actions ?? defaults.actions,
  };
}

/** Monitoring without a `monitor:` section: windows of 1000 rows, automatic drift thresholds, alerts stored only. */
export function defaultMonitorConfig(location: MonitorConfig['location']): MonitorConfig {
  return {
    window: { rows: DEFAULT_WINDOW_ROWS },
    minRows: DEFAULT_MIN_ROWS,
    drift: {},
    predictionDrift: { auto: true },
    metrics: [],
    actions: ['notify'],
    location,
  };
}

/** `30s`, `15m`, `1h`, `1d` in milliseconds (checked by monitorProblems first). */
function durationMs(text: string): number {
  const [, n, unit] = DURATION.exec(text)!;
  return Number(n) * UNIT_MS[unit];
}

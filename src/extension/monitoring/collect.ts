import type { ThresholdCheck } from '../../core/evaluate/report';
import type { AlertRecord, StoredWindow, WindowReport } from '../../core/monitor/types';
import type { MonitorConfig } from '../../core/pipeline/config';
import type { ComparatorResult } from '../../core/validate/types';
import type { AlertView, MonitoringView, ServingInfo, TrafficPoint, WindowCheck, WindowMetric, WindowPoint } from '../../shared/monitoring';
import { pressure } from '../drift/collect';
import type { ServingStatus } from '../serving/source';
import { formatCount } from '../../core/util/format';

/**
 * The Monitoring panel's view from store records: each checked window as a point of its time
 * series (drift as pressure, metrics beside the offline evaluation and their bounds), the alerts
 * with what their actions did. Pure: the panel reads, this lays out.
 */

/**
 * Pressure past which a chart gains nothing: a p-value of 0, or any distance over a threshold of 0,
 * is infinitely pressed, and the store keeps an infinite distance as null. Shown as this value.
 */
export const PRESSURE_CAP = 1000;

/** A comparator as the store gives it back: JSON turned an infinite value into null. */
type StoredComparator = Omit<ComparatorResult, 'value'> & { value: number | null };

export function toCheck(r: StoredComparator): WindowCheck {
  const threshold = r.threshold ?? null;
  const pValue = r.pValue ?? null;
  // A distance the store could not hold was infinite.
  const p = threshold === null ? null : pressure({ method: r.method, value: r.value ?? Infinity, pValue, threshold });
  return {
    subject: r.feature,
    method: r.method,
    value: r.value,
    pValue,
    threshold,
    fired: r.fired,
    pressure: p === null || Number.isNaN(p) ? null : Math.min(p, PRESSURE_CAP),
  };
}

/**
 * The bounds a window's checks held the metric to: value bounds as written, change bounds turned
 * into values around the offline evaluation (higher: at least offline + change; lower: at most).
 */
function boundsOf(checks: readonly ThresholdCheck[]): { lower: number | null; upper: number | null } {
  let lower: number | null = null;
  let upper: number | null = null;
  const raise = (x: number) => (lower = lower === null ? x : Math.max(lower, x));
  const cap = (x: number) => (upper = upper === null ? x : Math.min(upper, x));
  for (const c of checks) {
    if (c.kind === 'value') {
      if (c.lower !== undefined) raise(c.lower);
      if (c.upper !== undefined) cap(c.upper);
      continue;
    }
    const baseline = c.baseline;
    if (baseline === null || baseline === undefined) continue;
    const limits = [
      c.absolute !== undefined ? baseline + c.absolute : undefined,
      c.relative !== undefined ? baseline + c.relative * Math.abs(baseline) : undefined,
    ];
    for (const limit of limits) if (limit !== undefined) (c.direction === 'lower' ? cap : raise)(limit);
  }
  return { lower, upper };
}

/** Failed when a check failed; passed when one passed and none failed; null when none decided. */
function outcomeOf(checks: readonly ThresholdCheck[]): boolean | null {
  if (checks.some((c) => c.outcome === 'failed')) return false;
  return checks.some((c) => c.outcome === 'passed') ? true : null;
}

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Every metric measured online or bounded, each with the offline value and the bounds' outcome. */
export function toMetrics(metrics: WindowReport['metrics']): WindowMetric[] {
  if (!metrics) return [];
  const names = [...new Set([...Object.keys(metrics.online), ...metrics.checks.map((c) => c.metric)])].sort();
  return names.map((metric) => {
    const checks = metrics.checks.filter((c) => c.metric === metric);
    return { metric, online: finite(metrics.online[metric]), offline: finite(metrics.offline?.[metric]), ...boundsOf(checks), passed: outcomeOf(checks) };
  });
}

export function toWindowPoint(w: StoredWindow, alerts: number): WindowPoint {
  const r = w.report;
  return {
    key: r.window.key,
    version: r.window.version,
    start: r.window.start,
    end: r.window.end,
    rows: r.window.rows,
    labelled: r.labelled,
    latency: r.latency,
    drift: r.drift.map(toCheck),
    predictionDrift: r.predictionDrift.map(toCheck),
    metrics: toMetrics(r.metrics),
    notes: r.notes,
    alerts,
  };
}

export function toAlertView(a: AlertRecord): AlertView {
  return {
    id: a.id,
    createdAt: a.createdAt,
    version: a.version,
    kind: a.kind,
    subject: a.subject,
    method: a.method,
    value: a.value,
    threshold: a.threshold,
    message: a.message,
    windowKey: a.window.key,
    windowEnd: a.window.end,
    actions: a.actions.map((x) => ({ action: x.action, outcome: x.outcome, detail: x.detail, runId: x.runId, at: x.at })),
  };
}

/** The server's state for the page when it serves this model; null otherwise. */
export function servingInfoOf(status: ServingStatus | undefined, model: string): ServingInfo | null {
  if (!status || status.model !== model) return null;
  const { state, url, version, startedAt, monitoring, error } = status;
  return { state, url, version, startedAt, monitoring, error };
}

export interface ViewInputs {
  model: string;
  models: readonly string[];
  production: number | null;
  serving: ServingInfo | null;
  traffic: readonly TrafficPoint[];
  /** Oldest first, as listWindows gives them. */
  windows: readonly StoredWindow[];
  /** Newest first, as listAlerts gives them. */
  alerts: readonly AlertRecord[];
  settings: string | null;
}

export function buildMonitoringView(i: ViewInputs): MonitoringView {
  const raised = new Map<string, number>();
  for (const a of i.alerts) raised.set(a.window.key, (raised.get(a.window.key) ?? 0) + 1);
  return {
    model: i.model,
    models: [...new Set([...i.models, i.model])].sort(),
    production: i.production,
    serving: i.serving,
    traffic: i.serving ? [...i.traffic] : [],
    windows: i.windows.map((w) => toWindowPoint(w, raised.get(w.report.window.key) ?? 0)),
    alerts: i.alerts.map(toAlertView),
    settings: i.settings,
  };
}

/** "windows of 2,000 rows (min_rows 100) · actions: notify, retrain", "windows of 1h …". */
export function settingsText(config: Pick<MonitorConfig, 'window' | 'minRows' | 'actions' | 'metrics'>): string {
  const window = 'rows' in config.window ? `windows of ${formatCount(config.window.rows)} rows` : `windows of ${config.window.text}`;
  const metrics = config.metrics.length ? ` · online ${config.metrics.map((m) => m.value.metric).join(', ')}` : '';
  return `${window} (min_rows ${formatCount(config.minRows)})${metrics} · actions: ${config.actions.length ? config.actions.join(', ') : 'none'}`;
}

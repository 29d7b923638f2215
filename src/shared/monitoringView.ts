/**
 * What the Monitoring page derives from a view before drawing it (pure, so it is tested outside the
 * browser): which features a drift chart shows, where the served version changed, which metric
 * comes first, how much live traffic is kept.
 */
import type { TrafficPoint, WindowCheck, WindowPoint } from './monitoring';

/** Features a drift chart shows unless the user chose some. */
export const TOP_FEATURES = 5;
/** The saved choice meaning "the most pressured features". */
export const TOP = 'top';
/** Live traffic the page keeps: the server's last minutes. */
export const TRAFFIC_SPAN_MS = 10 * 60_000;

type Checks = (w: WindowPoint) => readonly WindowCheck[];

/** Every subject the windows compared, by name. */
export function subjectsOf(windows: readonly WindowPoint[], checks: Checks): string[] {
  return [...new Set(windows.flatMap((w) => checks(w).map((c) => c.subject)))].sort();
}

/**
 * The `n` subjects most pressed toward their threshold: by the highest pressure any window showed
 * (a past incident stays visible), then by the latest window's, then by name.
 */
export function mostPressured(windows: readonly WindowPoint[], checks: Checks, n = TOP_FEATURES): string[] {
  const peak = new Map<string, number>();
  const latest = new Map<string, number>();
  for (const w of windows) {
    for (const c of checks(w)) {
      const p = c.pressure ?? 0;
      peak.set(c.subject, Math.max(peak.get(c.subject) ?? 0, p));
      latest.set(c.subject, p);
    }
  }
  return [...peak.keys()].sort((a, b) => peak.get(b)! - peak.get(a)! || latest.get(b)! - latest.get(a)! || a.localeCompare(b)).slice(0, n);
}

/** The chosen subjects that the windows still have; the most pressured when none is chosen (or none is left). */
export function shownSubjects(windows: readonly WindowPoint[], checks: Checks, chosen: readonly string[] | undefined): string[] {
  const all = new Set(subjectsOf(windows, checks));
  const kept = (chosen ?? []).filter((s) => s !== TOP && all.has(s));
  return kept.length ? kept : mostPressured(windows, checks);
}

/** Where the served version changed: the first window of each version after another one. */
export function versionChanges(windows: readonly WindowPoint[]): { at: number; version: number }[] {
  const changes: { at: number; version: number }[] = [];
  for (let i = 1; i < windows.length; i++) {
    if (windows[i].version !== windows[i - 1].version) changes.push({ at: windows[i].start, version: windows[i].version });
  }
  return changes;
}

/** Metrics measured online: bounded ones first (what alerts are about), then by name. */
export function metricsOf(windows: readonly WindowPoint[]): string[] {
  const bounded = new Set<string>();
  const all = new Set<string>();
  for (const w of windows) {
    for (const m of w.metrics) {
      all.add(m.metric);
      if (m.lower !== null || m.upper !== null) bounded.add(m.metric);
    }
  }
  return [...all].sort((a, b) => Number(bounded.has(b)) - Number(bounded.has(a)) || a.localeCompare(b));
}

/** The live points to keep after `point` arrived: the last TRAFFIC_SPAN_MS, oldest first. */
export function appendTraffic(points: readonly TrafficPoint[], point: TrafficPoint): TrafficPoint[] {
  const from = point.at - TRAFFIC_SPAN_MS;
  return [...points.filter((p) => p.at > from && p.at < point.at), point];
}

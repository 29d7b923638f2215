/**
 * How the evaluation reads, the same in the panel, the Models tree and the push confirmation: a
 * metric against its baseline, the confusion counts at a chosen threshold, the slice table's order.
 * Pure, so both sides use (and the tests check) one implementation.
 */
import type { MetricDirection, SliceResult, SliceSort, ThresholdPoint } from './evaluation';
import { naturalCompare } from '../core/util/format';

/** `neutral`: the metric has no better side (a count, the mean label), only a change. */
export type Verdict = 'better' | 'worse' | 'same' | 'neutral';

export interface BaselineChange {
  delta: number;
  verdict: Verdict;
}

/** Differences this small are rounding, not a change. */
const SAME = 1e-12;

/** A value against its baseline: the difference and whether that is better for the metric. Null when either is missing. */
export function baselineChange(value: number | null | undefined, baseline: number | null | undefined, direction: MetricDirection): BaselineChange | null {
  if (typeof value !== 'number' || typeof baseline !== 'number' || !Number.isFinite(value) || !Number.isFinite(baseline)) return null;
  const delta = value - baseline;
  const tolerance = SAME * Math.max(1, Math.abs(value), Math.abs(baseline));
  if (Math.abs(delta) <= tolerance) return { delta: 0, verdict: 'same' };
  switch (direction) {
    case 'higher':
      return { delta, verdict: delta > 0 ? 'better' : 'worse' };
    case 'lower':
      return { delta, verdict: delta < 0 ? 'better' : 'worse' };
    case 'one': {
      const gain = Math.abs(baseline - 1) - Math.abs(value - 1);
      return { delta, verdict: Math.abs(gain) <= tolerance ? 'same' : gain > 0 ? 'better' : 'worse' };
    }
    case 'neutral':
      return { delta, verdict: 'neutral' };
  }
}

/** A metric that fell this far below its baseline, relative to the baseline's value. */
export const LARGE_REGRESSION = 0.1;
/** ...and by at least this much: a fall from 0.004 to 0.003 is 25% of nothing. */
const LARGE_REGRESSION_ABSOLUTE = 0.01;

export interface Regression {
  metric: string;
  value: number;
  baseline: number;
  /** How far it fell, as a share of the baseline's value (0.97: it lost 97%). */
  fall: number;
}

/**
 * Metrics that got much worse than the baseline (recall 0.564 → 0.018), worst first. The blessing
 * gates only the metrics its thresholds name; these are shown whether a threshold gates them or not,
 * so a collapse behind a passing AUC is never pushed unseen.
 */
export function largeRegressions(
  candidate: Readonly<Record<string, number | null | undefined>>,
  baseline: Readonly<Record<string, number | null | undefined>>,
  direction: (metric: string) => MetricDirection,
): Regression[] {
  const out: Regression[] = [];
  for (const [metric, value] of Object.entries(candidate)) {
    const was = baseline[metric];
    const d = direction(metric);
    if ((d !== 'higher' && d !== 'lower') || typeof value !== 'number' || typeof was !== 'number') continue;
    const change = baselineChange(value, was, d);
    if (change?.verdict !== 'worse' || Math.abs(change.delta) < LARGE_REGRESSION_ABSOLUTE) continue;
    const fall = Math.abs(change.delta) / Math.max(Math.abs(was), 1e-12);
    if (fall >= LARGE_REGRESSION) out.push({ metric, value, baseline: was, fall });
  }
  return out.sort((a, b) => b.fall - a.fall);
}

/** `−97%` for a metric that fell, `+51%` for one that rose (a loss). */
export function regressionChange(r: Regression): string {
  return `${r.value < r.baseline ? '−' : '+'}${Math.round(r.fall * 100)}%`;
}

/** `recall 0.564 → 0.018 (−97%)`, `log_loss 0.41 → 0.62 (+51%)` */
export function regressionText(r: Regression, format: (v: number) => string): string {
  return `${r.metric} ${format(r.baseline)} → ${format(r.value)} (${regressionChange(r)})`;
}

/** The confusion counts at the threshold nearest `threshold` (the lower one on a tie); undefined without points. */
export function thresholdPointAt(points: readonly ThresholdPoint[], threshold: number): ThresholdPoint | undefined {
  let best: ThresholdPoint | undefined;
  for (const p of points) {
    if (!best) best = p;
    else {
      const d = Math.abs(p.threshold - threshold) - Math.abs(best.threshold - threshold);
      if (d < 0 || (d === 0 && p.threshold < best.threshold)) best = p;
    }
  }
  return best;
}

export const SLICE_NAME = ':name';
export const SLICE_COUNT = ':count';
export const SLICE_FLAGGED = ':flagged';

function sortValue(s: SliceResult, column: string): string | number | null {
  if (column === SLICE_NAME) return s.name;
  if (column === SLICE_COUNT) return s.count;
  if (column === SLICE_FLAGGED) return s.worse.length;
  const v = s.metrics[column];
  return typeof v === 'number' ? v : null;
}

/**
 * The slice table's rows: slices with at least `minCount` rows, in the report's order or sorted by
 * a column (missing values last whichever the direction, ties in the report's order).
 */
export function orderedSlices(slices: readonly SliceResult[], sort: SliceSort | undefined, minCount = 0): SliceResult[] {
  const kept = slices.map((s, i) => ({ s, i })).filter(({ s }) => s.count >= minCount);
  if (sort) {
    const sign = sort.descending ? -1 : 1;
    kept.sort((a, b) => {
      const x = sortValue(a.s, sort.column);
      const y = sortValue(b.s, sort.column);
      if (x === null || y === null) return x === y ? a.i - b.i : x === null ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : naturalCompare(String(x), String(y));
      return c * sign || a.i - b.i;
    });
  }
  return kept.map(({ s }) => s);
}

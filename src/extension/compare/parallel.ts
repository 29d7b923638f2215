import type { AxisTick, CompareRunRow, MetricColumn, ParallelData, ParamColumn } from '../../shared/compare';
import { formatMetric, naturalCompare } from '../../core/util/format';

/**
 * Parallel coordinates: every axis mapped onto 0..1 so params of any unit sit side by side. Numbers
 * are spread linearly (or on a log scale when they span decades, like a learning rate); categories
 * (an optimizer, `[64,32]`) are ordinal, evenly spaced in natural order. A run without a value on
 * an axis gets null there.
 */

/** Labels beyond this many categories would overlap: every k-th is labelled. */
const MAX_CATEGORY_LABELS = 12;

interface Axis {
  ticks: AxisTick[];
  position(value: string | number | null | undefined): number | null;
}

export function numericAxis(values: readonly number[], log: boolean): Axis {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (!finite.length) return { ticks: [], position: () => null };
  const f = log ? Math.log10 : (v: number) => v;
  const lo = f(Math.min(...finite));
  const hi = f(Math.max(...finite));
  const span = hi - lo;
  const position = (v: string | number | null | undefined) => {
    const n = typeof v === 'string' ? (v.trim() === '' ? Number.NaN : Number(v)) : (v ?? Number.NaN);
    if (!Number.isFinite(n) || (log && n <= 0)) return null;
    return span > 0 ? (f(n) - lo) / span : 0.5;
  };
  const at = (p: number) => (log ? 10 ** (lo + p * span) : lo + p * span);
  const ticks = span > 0 ? [0, 0.5, 1].map((p) => ({ position: p, label: formatMetric(at(p)) })) : [{ position: 0.5, label: formatMetric(at(0)) }];
  return { ticks, position };
}

export function categoricalAxis(values: readonly string[]): Axis {
  const categories = [...new Set(values)].sort(naturalCompare);
  const index = new Map(categories.map((c, i) => [c, i]));
  const at = (i: number) => (categories.length > 1 ? i / (categories.length - 1) : 0.5);
  const every = Math.ceil(categories.length / MAX_CATEGORY_LABELS);
  return {
    ticks: categories.flatMap((c, i) => (i % every === 0 || i === categories.length - 1 ? [{ position: at(i), label: c }] : [])),
    position: (v) => {
      const i = typeof v === 'string' ? index.get(v) : undefined;
      return i === undefined ? null : at(i);
    },
  };
}

/** Axes for the given (differing) params and every metric; null when there is no param to spread runs by. */
export function parallelData(rows: readonly CompareRunRow[], params: readonly ParamColumn[], metrics: readonly MetricColumn[]): ParallelData | null {
  if (!params.length || !rows.length) return null;
  const axes: { key: string; kind: 'param' | 'metric'; axis: Axis; value: (r: CompareRunRow) => string | number | null | undefined }[] = [
    ...params.map((p) => {
      const present = rows.map((r) => r.params[p.key]).filter((v): v is string => v !== undefined);
      const axis = p.kind === 'numeric' ? numericAxis(present.map(Number), p.log) : categoricalAxis(present);
      return { key: p.key, kind: 'param' as const, axis, value: (r: CompareRunRow) => r.params[p.key] };
    }),
    ...metrics.map((m) => {
      const present = rows.map((r) => r.metrics[m.key]).filter((v): v is number => typeof v === 'number');
      return { key: m.key, kind: 'metric' as const, axis: numericAxis(present, false), value: (r: CompareRunRow) => r.metrics[m.key] };
    }),
  ];
  return {
    axes: axes.map((a) => ({ key: a.key, kind: a.kind, ticks: a.axis.ticks })),
    lines: rows.map((r) => ({ runId: r.id, positions: axes.map((a) => a.axis.position(a.value(r))) })),
  };
}

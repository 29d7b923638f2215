import type { FairnessReport, SlicePlots, SliceResult } from '../../src/shared/evaluation';
import { type Chart, chartBase, chartTheme, type Row, type TopLevelSpec } from '../common/vega';

/**
 * The evaluation's charts as vega-lite specs plus their rows: the slices overview (TFMA), ROC, PR
 * and calibration of one slice, a multiclass confusion matrix, and Fairness Indicators' rates across
 * decision thresholds. The report already holds every number; these only lay them out.
 */

/** Bars drawn at most: a chart of hundreds of slices says nothing; the table holds them all. */
export const MAX_BARS = 60;

/**
 * One bar per slice (in the table's order) for `metric`, its bootstrap interval as an error bar, the
 * slices flagged worse than Overall in the error colour, and Overall's value as a dashed rule.
 */
export function slicesSpec(slices: readonly SliceResult[], overall: SliceResult, metric: string): Chart {
  const t = chartTheme();
  const shown = slices.slice(0, MAX_BARS).filter((s) => typeof s.metrics[metric] === 'number');
  const bars: Row[] = shown.map((s) => {
    const interval = s.intervals?.[metric];
    return {
      slice: s.name,
      count: s.count,
      value: s.metrics[metric] as number,
      lo: interval ? interval[0] : null,
      hi: interval ? interval[1] : null,
      flagged: s.worse.includes(metric) ? 'worse than Overall' : 'not flagged',
    };
  });
  const reference = typeof overall.metrics[metric] === 'number' ? [{ value: overall.metrics[metric] }] : [];
  const x = { field: 'slice', type: 'nominal', sort: shown.map((s) => s.name), title: null, axis: { labelAngle: -40, labelLimit: 160 } };
  const spec = {
    ...chartBase(260),
    layer: [
      {
        data: { name: 'bars' },
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
          color: {
            field: 'flagged',
            type: 'nominal',
            title: null,
            scale: { domain: ['not flagged', 'worse than Overall'], range: [t.a, t.palette[4]] },
            legend: { orient: 'top' },
          },
          tooltip: [
            { field: 'slice', type: 'nominal' },
            { field: 'count', type: 'quantitative', format: ',' },
            { field: 'value', type: 'quantitative', title: metric, format: '.4~g' },
            { field: 'lo', type: 'quantitative', title: 'interval low', format: '.4~g' },
            { field: 'hi', type: 'quantitative', title: 'interval high', format: '.4~g' },
          ],
        },
      },
      {
        data: { name: 'bars' },
        transform: [{ filter: 'datum.lo !== null' }],
        mark: { type: 'rule', color: t.foreground, strokeWidth: 1.5 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
      {
        data: { name: 'overall' },
        mark: { type: 'rule', color: t.muted, strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: {
          y: { field: 'value', type: 'quantitative' },
          tooltip: [{ field: 'value', type: 'quantitative', title: `Overall ${metric}`, format: '.4~g' }],
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return { spec, data: { bars, overall: reference } };
}

/**
 * A curve from (x, y) points, with a dashed diagonal from `diagonal[0]` to `diagonal[1]` (chance for
 * ROC, perfect calibration) when given. Axes span 0..1 for rates, else follow the data.
 */
function curveSpec(o: {
  x: string;
  y: string;
  rows: Row[];
  unit: boolean;
  diagonal?: [number, number];
  points: boolean;
  tooltip: { field: string; title: string }[];
}): Chart {
  const t = chartTheme();
  const axis = (field: string, title: string) => ({ field, type: 'quantitative', title, scale: o.unit ? { domain: [0, 1] } : { zero: false } });
  const spec = {
    ...chartBase(240),
    layer: [
      ...(o.diagonal
        ? [{ data: { name: 'diagonal' }, mark: { type: 'line', color: t.muted, strokeDash: [4, 3] }, encoding: { x: axis('x', o.x), y: axis('y', o.y) } }]
        : []),
      {
        data: { name: 'curve' },
        mark: { type: 'line', color: t.a, strokeWidth: 2, point: o.points ? { filled: true, size: 30, color: t.a } : false },
        encoding: {
          x: axis('x', o.x),
          y: axis('y', o.y),
          order: { field: 'i', type: 'quantitative' },
          tooltip: o.tooltip.map((f) => ({ field: f.field, type: 'quantitative', title: f.title, format: '.4~g' })),
        },
      },
    ],
  } as unknown as TopLevelSpec;
  const [lo, hi] = o.diagonal ?? [0, 1];
  return {
    spec,
    data: {
      curve: o.rows,
      diagonal: [
        { x: lo, y: lo },
        { x: hi, y: hi },
      ],
    },
  };
}

export function rocSpec(plots: SlicePlots): Chart | undefined {
  const points = plots.roc?.map((p) => ({ x: p.fpr, y: p.tpr, threshold: p.threshold }));
  return thresholdCurveSpec(points, ['false positive rate', 'FPR'], ['true positive rate', 'TPR'], [0, 1]);
}

export function prSpec(plots: SlicePlots): Chart | undefined {
  const points = plots.pr?.map((p) => ({ x: p.recall, y: p.precision, threshold: p.threshold }));
  return thresholdCurveSpec(points, ['recall', 'recall'], ['precision', 'precision']);
}

/** A curve traced across decision thresholds (ROC, PR): each axis named in full and, in the tooltip, short. */
function thresholdCurveSpec(
  points: { x: number; y: number; threshold: number | null }[] | undefined,
  [x, xShort]: [string, string],
  [y, yShort]: [string, string],
  diagonal?: [number, number],
): Chart | undefined {
  if (!points?.length) return undefined;
  const tooltip = [
    { field: 'x', title: xShort },
    { field: 'y', title: yShort },
    { field: 'threshold', title: 'threshold' },
  ];
  return curveSpec({ x, y, rows: points.map((p, i) => ({ i, ...p })), unit: true, diagonal, points: false, tooltip });
}

/** Mean label against mean prediction per bucket (empty buckets left out); the diagonal is perfect calibration. */
export function calibrationSpec(plots: SlicePlots): Chart | undefined {
  const buckets = plots.calibration?.filter((b) => b.count > 0);
  if (!buckets?.length) return undefined;
  const rows = buckets.map((b, i) => ({ i, x: b.meanPrediction, y: b.meanLabel, count: b.count, lower: b.lower, upper: b.upper }));
  // Regression predictions are not probabilities: then the axes and the diagonal follow the data.
  const unit = rows.every((r) => r.x >= 0 && r.x <= 1 && r.y >= 0 && r.y <= 1);
  const diagonal: [number, number] = unit ? [0, 1] : [Math.min(...rows.map((r) => Math.min(r.x, r.y))), Math.max(...rows.map((r) => Math.max(r.x, r.y)))];
  return curveSpec({
    x: 'mean prediction',
    y: 'mean label',
    rows,
    unit,
    diagonal,
    points: true,
    tooltip: [
      { field: 'x', title: 'mean prediction' },
      { field: 'y', title: 'mean label' },
      { field: 'count', title: 'rows' },
      { field: 'lower', title: 'bucket from' },
      { field: 'upper', title: 'bucket to' },
    ],
  });
}

/** counts[actual][predicted] as a heatmap with the counts written in. */
export function confusionSpec(matrix: readonly number[][], classes: readonly string[]): Chart {
  const t = chartTheme();
  const name = (i: number) => classes[i] ?? String(i);
  const rows: Row[] = matrix.flatMap((row, a) => row.map((count, p) => ({ actual: name(a), predicted: name(p), count })));
  const order = matrix.map((_, i) => name(i));
  const max = Math.max(1, ...rows.map((r) => r.count as number));
  const spec = {
    ...chartBase(Math.max(160, 34 * order.length)),
    data: { name: 'cells' },
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: order, axis: { orient: 'top', labelAngle: 0, labelLimit: 120 } },
      y: { field: 'actual', type: 'nominal', sort: order, axis: { labelLimit: 120 } },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: { field: 'count', type: 'quantitative', scale: { range: ['transparent', t.a], domain: [0, max] }, legend: null },
          tooltip: [
            { field: 'actual', type: 'nominal' },
            { field: 'predicted', type: 'nominal' },
            { field: 'count', type: 'quantitative', format: ',' },
          ],
        },
      },
      { mark: { type: 'text', color: t.foreground, fontSize: t.fontSize - 1 }, encoding: { text: { field: 'count', type: 'quantitative', format: ',' } } },
    ],
  } as unknown as TopLevelSpec;
  return { spec, data: { cells: rows } };
}

/** One line per group: `rate` at each decision threshold (TF Fairness Indicators), the evaluation's threshold marked. */
export function fairnessThresholdsSpec(f: FairnessReport, rate: string): Chart | undefined {
  if (!f.atThresholds?.length) return undefined;
  const t = chartTheme();
  const rows: Row[] = f.atThresholds.flatMap((at) =>
    at.groups.map((g) => ({ threshold: at.threshold, group: g.group, value: (g as unknown as Record<string, number | null>)[rate] ?? null })),
  );
  const groups = [...new Set(rows.map((r) => String(r.group)))];
  const colour = groups.length <= t.palette.length ? { domain: groups, range: t.palette.slice(0, groups.length) } : { domain: groups, scheme: 'tableau20' };
  const spec = {
    ...chartBase(240),
    layer: [
      {
        data: { name: 'rates' },
        transform: [{ filter: 'datum.value !== null' }],
        mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 30 } },
        encoding: {
          x: { field: 'threshold', type: 'quantitative', title: 'decision threshold', scale: { domain: [0, 1] } },
          y: { field: 'value', type: 'quantitative', title: rate, scale: { domain: [0, 1] } },
          color: { field: 'group', type: 'nominal', title: f.name, scale: colour, legend: { orient: 'right' } },
          tooltip: [
            { field: 'group', type: 'nominal' },
            { field: 'threshold', type: 'quantitative', format: '.2~f' },
            { field: 'value', type: 'quantitative', title: rate, format: '.4~g' },
          ],
        },
      },
      {
        data: { name: 'decision' },
        mark: { type: 'rule', color: t.muted, strokeDash: [4, 3] },
        encoding: { x: { field: 'threshold', type: 'quantitative' }, tooltip: [{ field: 'threshold', type: 'quantitative', title: 'decision threshold' }] },
      },
    ],
  } as unknown as TopLevelSpec;
  return { spec, data: { rates: rows, decision: [{ threshold: f.threshold }] } };
}

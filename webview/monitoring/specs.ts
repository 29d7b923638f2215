import type { TrafficPoint, WindowCheck, WindowPoint } from '../../src/shared/monitoring';
import { versionChanges } from '../../src/shared/monitoringView';
import { type Chart, chartBase, chartTheme, type Row, type TopLevelSpec } from '../common/vega';

/**
 * The Monitoring panel's charts as vega-lite specs plus their rows: live traffic over the last
 * minutes, and per checked window its latency, each compared feature's own measurement against its
 * threshold and an online metric beside the offline evaluation and its bounds. Every window chart
 * marks where the served version changed.
 */

/** The palette's red: thresholds, bounds, errors and fired checks, never a series. */
const RED = 4;

const time = (t: number) =>
  new Date(t).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** "Mar 3, 14:02:11 – 14:09:40" */
export function timeRange(start: number, end: number): string {
  const a = time(start);
  const b = time(end);
  const day = (s: string) => s.slice(0, s.lastIndexOf(',') + 1);
  return day(a) === day(b) && day(a) ? `${a} – ${b.slice(day(b).length).trim()}` : `${a} – ${b}`;
}

/** The window's fields every tooltip shows first. */
function windowFields(w: WindowPoint): Row {
  return { end: w.end, window: timeRange(w.start, w.end), version: `v${w.version}`, rows: w.rows, labelled: w.labelled };
}

const WINDOW_TOOLTIP = [
  { field: 'window', type: 'nominal', title: 'window' },
  { field: 'version', type: 'nominal', title: 'version' },
  { field: 'rows', type: 'quantitative', title: 'rows', format: ',' },
];

const x = { field: 'end', type: 'temporal', title: null, axis: { labelOverlap: true, grid: false } };

/**
 * A chart over the checked windows, `height` pixels tall: `layers` over `data`, and a dotted rule
 * with a label where the served version changed (none when it never did).
 */
function windowChart(windows: readonly WindowPoint[], height: number, layers: object[], data: Record<string, Row[]>): Chart {
  const t = chartTheme();
  const changes = versionChanges(windows).map((c) => ({ at: c.at, label: `v${c.version}` }));
  const at = { field: 'at', type: 'temporal' };
  const versionLayers = [
    {
      data: { name: 'versions' },
      mark: { type: 'rule', color: t.muted, strokeDash: [2, 3] },
      encoding: { x: at, tooltip: [{ type: 'nominal', field: 'label', title: 'from here on serves' }] },
    },
    {
      data: { name: 'versions' },
      mark: { type: 'text', color: t.muted, align: 'left', baseline: 'top', dx: 3, y: 0 },
      encoding: { x: at, text: { type: 'nominal', field: 'label' } },
    },
  ];
  return { spec: { ...chartBase(height), layer: [...layers, ...versionLayers] } as unknown as TopLevelSpec, data: { ...data, versions: changes } };
}

/** Requests and errors per second, live. */
export function throughputSpec(points: readonly TrafficPoint[]): Chart {
  const t = chartTheme();
  return liveChart(points.flatMap(throughputRows), {
    // A rate holds over its interval, which ends at `at`: steps, not a curve that turns one request into a bell.
    mark: { type: 'line', interpolate: 'step-before', point: false },
    y: { field: 'value', type: 'quantitative', title: 'per second' },
    series: { title: 'series', domain: ['requests/s', 'errors/s'], range: [t.a, t.palette[RED]] },
    tooltip: [{ field: 'value', type: 'quantitative', title: 'value', format: '.3~f' }],
  });
}

export function throughputRows(p: TrafficPoint): Row[] {
  return [
    { at: p.at, series: 'requests/s', value: p.requestsPerSecond },
    { at: p.at, series: 'errors/s', value: p.errorsPerSecond },
  ];
}

/** p50 and p99 latency, live. */
export function liveLatencySpec(points: readonly TrafficPoint[]): Chart {
  const t = chartTheme();
  return liveChart(points.flatMap(liveLatencyRows), {
    // Straight segments and points; an interval without an answer (ms null) breaks the line: a gap stays a gap.
    mark: { type: 'line', point: { filled: true, size: 16 } },
    y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
    series: { title: 'percentile', domain: ['p50', 'p99'], range: [t.a, t.b] },
    tooltip: [
      { field: 'ms', type: 'quantitative', title: 'ms', format: '.3~f' },
      { field: 'version', type: 'nominal', title: 'version' },
    ],
  });
}

/** A live chart of the last minutes' traffic: one line per series over time, the series named on top. */
function liveChart(rows: Row[], o: { mark: object; y: object; series: { title: string; domain: string[]; range: string[] }; tooltip: object[] }): Chart {
  const { title, domain, range } = o.series;
  const encoding = {
    x: { field: 'at', type: 'temporal', title: null, axis: { labelOverlap: true, grid: false } },
    y: o.y,
    color: { field: 'series', type: 'nominal', title: null, scale: { domain, range }, legend: { orient: 'top' } },
    tooltip: [{ field: 'at', type: 'temporal', title: 'at', format: '%H:%M:%S' }, { field: 'series', type: 'nominal', title }, ...o.tooltip],
  };
  return { spec: { ...chartBase(160), data: { name: 'traffic' }, mark: o.mark, encoding } as unknown as TopLevelSpec, data: { traffic: rows } };
}

export function liveLatencyRows(p: TrafficPoint): Row[] {
  const version = p.version === null ? null : `v${p.version}`;
  return [
    { at: p.at, series: 'p50', ms: p.p50Ms, version },
    { at: p.at, series: 'p99', ms: p.p99Ms, version },
  ];
}

/** Latency of the served rows, per window: p50, p99 (and the mean in the tooltip). */
export function windowLatencySpec(windows: readonly WindowPoint[]): Chart {
  const t = chartTheme();
  const rows = windows.flatMap((w) =>
    w.latency
      ? [
          { ...windowFields(w), series: 'p50', ms: w.latency.p50, mean: w.latency.mean },
          { ...windowFields(w), series: 'p99', ms: w.latency.p99, mean: w.latency.mean },
        ]
      : [],
  );
  const layers = [
    {
      data: { name: 'latency' },
      mark: { type: 'line', point: { filled: true, size: 25 } },
      encoding: {
        x,
        y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: ['p50', 'p99'], range: [t.a, t.b] }, legend: { orient: 'top' } },
        tooltip: [
          ...WINDOW_TOOLTIP,
          { type: 'nominal', field: 'series', title: 'percentile' },
          { field: 'ms', type: 'quantitative', title: 'ms', format: '.3~f' },
          { field: 'mean', type: 'quantitative', title: 'mean ms', format: '.3~f' },
        ],
      },
    },
  ];
  return windowChart(windows, 180, layers, { latency: rows });
}

/**
 * One subject's own measurement per window against its own threshold, on a linear scale: a
 * distance fires above the dashed line, a p-value (ks, chi2) below it. Fired windows are marked, and
 * a window the store could not hold a value for (an infinite distance) leaves a gap.
 */
export function subjectDriftSpec(windows: readonly WindowPoint[], checks: (w: WindowPoint) => readonly WindowCheck[], subject: string): Chart {
  const t = chartTheme();
  const rows = windows.flatMap((w) =>
    checks(w)
      .filter((c) => c.subject === subject)
      .map((c) => ({
        ...windowFields(w),
        method: c.method,
        measured: c.pValue ?? c.value,
        statistic: c.pValue !== null ? c.value : null,
        threshold: c.threshold,
        fired: c.fired ? 'fired' : 'no',
      })),
  );
  const methods = [...new Set(rows.map((r) => r.method))];
  const pTest = rows.some((r) => r.statistic !== null);
  const measure = `${methods.join(', ')}${pTest ? ' p-value' : ''}`;
  const tooltip = [
    ...WINDOW_TOOLTIP,
    { type: 'nominal', field: 'method', title: 'method' },
    { field: 'measured', type: 'quantitative', title: pTest ? 'p-value' : 'value', format: '.4~g' },
    ...(pTest ? [{ field: 'statistic', type: 'quantitative', title: 'statistic', format: '.4~g' }] : []),
    { field: 'threshold', type: 'quantitative', title: pTest ? 'fires at or below' : 'fires above', format: '.4~g' },
    { type: 'nominal', field: 'fired', title: 'fired' },
  ];
  const y = { field: 'measured', type: 'quantitative', title: measure, axis: { format: '~g', tickCount: 4 } };
  const layers = [
    {
      data: { name: 'drift' },
      mark: { type: 'line', interpolate: 'step-after', color: t.palette[RED], strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { x, y: { ...y, field: 'threshold' }, tooltip: [{ field: 'threshold', type: 'quantitative', title: 'threshold', format: '.4~g' }] },
    },
    {
      data: { name: 'drift' },
      mark: { type: 'line', color: t.a, strokeWidth: 1.5, point: { filled: true, size: 28, color: t.a } },
      encoding: { x, y, tooltip },
    },
    {
      data: { name: 'drift' },
      transform: [{ filter: "datum.fired === 'fired'" }],
      mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: t.palette[RED], stroke: t.foreground, strokeWidth: 0.5 },
      encoding: { x, y, tooltip },
    },
  ];
  return windowChart(windows, 120, layers, { drift: rows });
}

/**
 * One online metric per window with the offline evaluation's value (dashed) and the configured
 * bounds (dotted, in the error colour); windows where a bound failed are marked.
 */
export function metricSpec(windows: readonly WindowPoint[], metric: string): Chart {
  const t = chartTheme();
  const rows = windows.flatMap((w) => {
    const m = w.metrics.find((x) => x.metric === metric);
    if (!m) return [];
    return [
      {
        ...windowFields(w),
        online: m.online,
        offline: m.offline,
        lower: m.lower,
        upper: m.upper,
        outcome: m.passed === null ? 'not checked' : m.passed ? 'passed' : 'failed',
      },
    ];
  });
  const tooltip = [
    ...WINDOW_TOOLTIP,
    { field: 'labelled', type: 'quantitative', title: 'labelled rows', format: ',' },
    { field: 'online', type: 'quantitative', title: `online ${metric}`, format: '.4~f' },
    { field: 'offline', type: 'quantitative', title: `offline ${metric}`, format: '.4~f' },
    { field: 'lower', type: 'quantitative', title: 'lower bound', format: '.4~f' },
    { field: 'upper', type: 'quantitative', title: 'upper bound', format: '.4~f' },
    { type: 'nominal', field: 'outcome', title: 'bounds' },
  ];
  const y = (field: string) => ({ field, type: 'quantitative', title: metric, scale: { zero: false } });
  const line = (field: string, style: object) => ({
    data: { name: 'metric' },
    transform: [{ filter: `datum.${field} !== null` }],
    mark: { type: 'line', interpolate: 'step-after', ...style },
    encoding: { x, y: y(field) },
  });
  const layers = [
    line('offline', { color: t.muted, strokeDash: [6, 4], strokeWidth: 1.5 }),
    line('lower', { color: t.palette[RED], strokeDash: [2, 3], strokeWidth: 1.5 }),
    line('upper', { color: t.palette[RED], strokeDash: [2, 3], strokeWidth: 1.5 }),
    { ...line('online', { color: t.a, strokeWidth: 2 }), mark: { type: 'line', color: t.a, strokeWidth: 2 } },
    {
      data: { name: 'metric' },
      transform: [{ filter: 'datum.online !== null' }],
      mark: { type: 'point', filled: true, size: 40 },
      encoding: {
        x,
        y: y('online'),
        color: {
          field: 'outcome',
          type: 'nominal',
          title: null,
          scale: { domain: ['passed', 'failed', 'not checked'], range: [t.palette[2], t.palette[RED], t.a] },
          legend: { orient: 'top' },
        },
        shape: {
          field: 'outcome',
          type: 'nominal',
          scale: { domain: ['passed', 'failed', 'not checked'], range: ['circle', 'diamond', 'circle'] },
          legend: null,
        },
        tooltip,
      },
    },
  ];
  return windowChart(windows, 220, layers, { metric: rows });
}

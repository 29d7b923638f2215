import type { CompareRunRow, CompareView, CurvesData, Direction, ParamColumn } from '../../src/shared/compare';
import { chartBase, chartTheme, type Row, type TopLevelSpec } from '../common/vega';

/**
 * The comparison's charts as vega-lite specs plus their rows. The extension has already placed every
 * run on every axis (0..1) and picked the curves' points; these only lay them out.
 */

const runLabel = (id: number) => `#${id}`;

/** One colour per run, the same in every chart: the theme's chart colours for a few, a scheme for many. */
function runColours(runIds: readonly number[]) {
  const t = chartTheme();
  const domain = runIds.map(runLabel);
  return domain.length <= t.palette.length ? { domain, range: t.palette.slice(0, domain.length) } : { domain, scheme: 'tableau20' };
}

/** A legend is useful up to this many runs; beyond, hovering names the run. */
const MAX_LEGEND = 20;

export function curveSpec(view: CompareView, key: string): TopLevelSpec {
  const t = chartTheme();
  const ids = view.runs.map((r) => r.id);
  return {
    ...chartBase(220, t),
    data: { name: 'curves' },
    encoding: {
      x: {
        field: 'step',
        type: 'quantitative',
        title: key.startsWith('batch_') ? 'batch' : 'step',
        scale: { zero: false, nice: false },
        axis: { tickCount: 8, format: '~s' },
      },
      y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
      color: {
        field: 'run',
        type: 'nominal',
        title: null,
        scale: runColours(ids),
        legend: ids.length <= MAX_LEGEND ? { orient: 'right', symbolLimit: MAX_LEGEND } : null,
      },
    },
    layer: [
      { params: [{ name: 'zoom', select: 'interval', bind: 'scales' }], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { detail: { field: 'run' } } },
      {
        params: [{ name: 'hover', select: { type: 'point', fields: ['run', 'step'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
        mark: { type: 'point', filled: true, size: 36 },
        encoding: {
          opacity: { condition: { param: 'hover', empty: false, value: 1 }, value: 0 },
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'step', type: 'quantitative' },
            { field: 'value', type: 'quantitative', title: key, format: '.4~g' },
          ],
        },
      },
    ],
  } as unknown as TopLevelSpec;
}

export function curveRows(data: CurvesData): Row[] {
  return data.runs.flatMap((r) => r.steps.map((step, i) => ({ run: runLabel(r.runId), step, value: r.values[i] })));
}

/** Parallel coordinates over the differing params, ending on the objective (also the colour). */
export function parallelSpec(
  view: CompareView,
  objective: { key: string; direction: Direction } | null,
): { spec: TopLevelSpec; data: Record<string, Row[]> } | undefined {
  const p = view.parallel;
  if (!p) return undefined;
  const t = chartTheme();
  const shown = p.axes.map((a, i) => ({ ...a, index: i })).filter((a) => a.kind === 'param' || a.key === objective?.key);
  const order = shown.map((a) => a.key);
  const objectiveIndex = shown.find((a) => a.kind === 'metric')?.index;
  const runs = new Map(view.runs.map((r) => [r.id, r]));
  const lines: Row[] = [];
  for (const line of p.lines) {
    const run = runs.get(line.runId);
    const colour = objectiveIndex === undefined ? null : line.positions[objectiveIndex];
    shown.forEach((a, order) => {
      const position = line.positions[a.index];
      if (position === null) return;
      const value = a.kind === 'param' ? run?.params[a.key] : run?.metrics[a.key];
      lines.push({
        run: runLabel(line.runId),
        axis: a.key,
        order,
        position,
        value: value === undefined || value === null ? '–' : String(value),
        objective: colour,
      });
    });
  }
  const ticks: Row[] = shown.flatMap((a) => a.ticks.map((tick) => ({ axis: a.key, position: tick.position, label: tick.label })));
  const axes: Row[] = shown.map((a) => ({ axis: a.key }));
  // Slanted axis names: side by side, long parameter names (train.early_stopping.patience) overlapped.
  const x = {
    field: 'axis',
    type: 'nominal',
    sort: order,
    scale: { padding: 0.3 },
    axis: { title: null, orient: 'bottom', labelAngle: -25, labelAlign: 'right', labelLimit: 180, domain: false, ticks: false },
  };
  const y = { field: 'position', type: 'quantitative', scale: { domain: [0, 1] }, axis: null };
  const spec = {
    ...chartBase(300, t),
    layer: [
      { data: { name: 'axes' }, mark: { type: 'rule', color: t.grid, strokeWidth: 1.5 }, encoding: { x } },
      {
        data: { name: 'lines' },
        params: [{ name: 'focus', select: { type: 'point', fields: ['run'], on: 'pointerover', clear: 'pointerout' } }],
        mark: { type: 'line', strokeWidth: 1.75, invalid: null },
        encoding: {
          x,
          y,
          detail: { field: 'run' },
          order: { field: 'order' },
          color:
            objectiveIndex === undefined
              ? { value: t.a }
              : {
                  condition: { test: 'datum.objective === null', value: t.muted },
                  field: 'objective',
                  type: 'quantitative',
                  // From the theme's second chart colour to its first at the best end: both are made to
                  // read on the theme's background (viridis' dark purple vanished on a dark theme).
                  scale: { range: objective?.direction === 'max' ? [t.b, t.a] : [t.a, t.b], domain: [0, 1], interpolate: 'hcl' },
                  legend: null,
                },
          opacity: { condition: { param: 'focus', empty: true, value: 0.85 }, value: 0.12 },
          tooltip: [
            { field: 'run', type: 'nominal' },
            { field: 'axis', type: 'nominal', title: 'axis' },
            { field: 'value', type: 'nominal', title: 'value' },
          ],
        },
      },
      {
        data: { name: 'ticks' },
        mark: { type: 'text', align: 'left', dx: 5, baseline: 'middle', color: t.muted },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  } as unknown as TopLevelSpec;
  return { spec, data: { lines, ticks, axes } };
}

/** A metric's final value against one param, a point per run. */
export function scatterSpec(view: CompareView, param: ParamColumn, metric: string): { spec: TopLevelSpec; data: Record<string, Row[]> } {
  const t = chartTheme();
  const rows: Row[] = view.runs.flatMap((r: CompareRunRow) => {
    const x = r.params[param.key];
    const y = r.metrics[metric];
    if (x === undefined || y === null || y === undefined) return [];
    return [{ run: runLabel(r.id), x: param.kind === 'numeric' ? Number(x) : x, y }];
  });
  const x =
    param.kind === 'numeric'
      ? { field: 'x', type: 'quantitative', title: param.key, scale: { type: param.log ? 'log' : 'linear', zero: false, nice: !param.log, padding: 16 } }
      : { field: 'x', type: 'ordinal', title: param.key, sort: 'ascending', axis: { labelAngle: 0, labelLimit: 120 } };
  const spec = {
    ...chartBase(260, t),
    data: { name: 'points' },
    // Only continuous scales can be bound: categories stay put, the metric axis zooms.
    params: [{ name: 'zoom', select: { type: 'interval', encodings: param.kind === 'numeric' ? ['x', 'y'] : ['y'] }, bind: 'scales' }],
    mark: { type: 'point', filled: true, size: 70, opacity: 0.8, color: t.a },
    encoding: {
      x,
      y: { field: 'y', type: 'quantitative', title: metric, scale: { zero: false, padding: 16 } },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'x', type: param.kind === 'numeric' ? 'quantitative' : 'nominal', title: param.key },
        { field: 'y', type: 'quantitative', title: metric, format: '.4~g' },
      ],
    },
  } as unknown as TopLevelSpec;
  return { spec, data: { points: rows } };
}

import type { CompareState, CompareView, Direction } from '../../src/shared/compare';
import { h } from '../common/dom';
import type { DrawnCharts } from '../common/drawn';
import { parallelSpec, scatterSpec } from './plots';
import { card, select } from '../common/card';

/** What the plot sections need of the page: its charts, its saved choices, a way to draw after layout. */
export interface SectionContext {
  charts: DrawnCharts;
  state(): CompareState | undefined;
  save(patch: Partial<CompareState>): void;
  /** Charts size themselves to their container: drawn once the page holds their elements. */
  afterLayout(draw: () => void): void;
  exportImage(name: string, format: 'svg' | 'png'): void;
}

/** The objective the user picked (kept in the state), else the view's. */
export function objectiveOf(v: CompareView, state: CompareState | undefined): { key: string; direction: Direction } | null {
  const key = state?.objective && v.metrics.some((m) => m.key === state.objective) ? state.objective : v.objective?.key;
  const metric = v.metrics.find((m) => m.key === key);
  return metric ? { key: metric.key, direction: metric.direction } : null;
}

export function parallelSection(v: CompareView, ctx: SectionContext): HTMLElement | null {
  if (!v.parallel) return null;
  const el = h('div', { class: 'chart', testid: 'parallel' });
  const redraw = () => {
    const p = parallelSpec(v, objectiveOf(v, ctx.state()));
    if (p) void ctx.charts.draw('parallel', el, p.spec, p.data);
  };
  const chooser = select(
    'objective',
    'Objective',
    v.metrics.map((m) => ({ value: m.key, label: m.key, description: m.direction === 'min' ? 'lower is better' : 'higher is better' })),
    objectiveOf(v, ctx.state())?.key ?? '',
    (key) => {
      ctx.save({ objective: key });
      redraw();
    },
  );
  ctx.afterLayout(redraw);
  return card('Parameters and objective', 'parallel', el, (f) => ctx.exportImage('parallel', f), chooser);
}

export function scatterSection(v: CompareView, ctx: SectionContext): HTMLElement | null {
  const params = v.params.filter((p) => p.differs);
  if (!params.length || !v.metrics.length) return null;
  const el = h('div', { class: 'chart', testid: 'scatter' });
  const current = () => {
    const chosen = ctx.state()?.scatter;
    const param =
      params.find((p) => p.key === chosen?.param) ??
      params.find((p) => new Set(v.runs.map((r) => r.params[p.key]).filter((x) => x !== undefined)).size > 1) ??
      params[0];
    const metric = chosen && v.metrics.some((m) => m.key === chosen.metric) ? chosen.metric : (objectiveOf(v, ctx.state())?.key ?? v.metrics[0].key);
    return { param, metric };
  };
  const redraw = () => {
    const { param, metric } = current();
    const s = scatterSpec(v, param, metric);
    void ctx.charts.draw('scatter', el, s.spec, s.data);
  };
  const choose = (patch: Partial<{ param: string; metric: string }>) => {
    const { param, metric } = current();
    ctx.save({ scatter: { param: param.key, metric, ...patch } });
    redraw();
  };
  const controls = h(
    'span',
    { class: 'controls' },
    select(
      'scatter-metric',
      'Metric',
      v.metrics.map((m) => ({ value: m.key, label: m.key })),
      current().metric,
      (metric) => choose({ metric }),
    ),
    select(
      'scatter-param',
      'against',
      params.map((p) => ({ value: p.key, label: p.key })),
      current().param.key,
      (param) => choose({ param }),
    ),
  );
  ctx.afterLayout(redraw);
  return card('Metric against a parameter', 'scatter', el, (f) => ctx.exportImage('scatter', f), controls);
}

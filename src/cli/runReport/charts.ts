import type { TopLevelSpec } from 'vega-lite';
import type { EvaluationReport } from '../../core/evaluate/report';
import { headlineMetric } from './build';
import type { RunReport } from './types';

/** Distances (fire above the threshold); the tests' statistics fire on a p-value instead and would mislead on one axis. */
const DISTANCES = new Set(['linf', 'jsd', 'psi', 'wasserstein']);

export interface ChartSpec {
  name: string;
  title: string;
  spec: TopLevelSpec;
}

const WIDTH = 360;
const CONFIG = { background: 'white', font: 'sans-serif', view: { stroke: null } } as const;
/** Slice names are long (`payment_type:Credit Card`); vega cuts labels at 180 px by default. */
const LABELS = { labelLimit: 320 };

/**
 * The report's small charts as vega-lite specs (pure): overall metrics against the compared version,
 * the headline metric per slice, drift and skew distances against their thresholds. A chart with
 * nothing to draw is left out.
 */
export function chartSpecs(report: RunReport, evaluation: EvaluationReport | undefined): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const e = report.evaluation;
  const against = e?.against?.label ?? 'production';
  const metricRows = (e?.metrics ?? [])
    .filter((m) => m.better !== null && m.value !== null)
    .flatMap((m) => [
      { metric: m.metric, model: `run #${report.run.id}`, value: m.value },
      ...(m.production === null ? [] : [{ metric: m.metric, model: against, value: m.production }]),
    ]);
  if (metricRows.length) charts.push(groupedBars('metrics', `Metrics: run #${report.run.id} and ${against}`, metricRows, 'metric', 'value'));

  if (evaluation && e) {
    const metric = headlineMetric(evaluation);
    // Per slice, the compared version's figure is drawn only when it was scored on the same rows.
    const sameRows = e.against?.basis === 'same-rows';
    const sliceRows = evaluation.slices
      .filter((s) => !s.belowMinSize && typeof s.metrics[metric] === 'number')
      .flatMap((s) => [
        { slice: s.name, model: `run #${report.run.id}`, [metric]: s.metrics[metric] },
        ...(sameRows && typeof s.baseline?.[metric] === 'number' ? [{ slice: s.name, model: against, [metric]: s.baseline[metric] }] : []),
      ]);
    if (sliceRows.length) charts.push(groupedBars('slices', `${metric} per slice`, sliceRows, 'slice', metric));
  }

  const distances = (report.validation?.comparisons ?? []).filter((c) => DISTANCES.has(c.method));
  if (distances.length) {
    const title = 'Drift and skew: distance (bar) and threshold (tick)';
    charts.push({
      name: 'drift',
      title,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title,
        width: WIDTH,
        config: CONFIG,
        data: {
          values: distances.map((c) => ({
            comparison: `${c.feature} (${c.kind}, ${c.method})`,
            value: c.value,
            threshold: c.threshold,
            fired: c.fired ? 'fired' : 'within',
          })),
        },
        encoding: { y: { field: 'comparison', type: 'nominal', title: null, sort: null, axis: LABELS } },
        layer: [
          {
            mark: 'bar',
            encoding: {
              x: { field: 'value', type: 'quantitative', title: 'distance' },
              color: { field: 'fired', type: 'nominal', title: null, scale: { domain: ['fired', 'within'], range: ['#d62728', '#2ca02c'] } },
            },
          },
          { mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { x: { field: 'threshold', type: 'quantitative' } } },
        ],
      },
    });
  }
  return charts;
}

function groupedBars(name: string, title: string, values: object[], category: string, measure: string): ChartSpec {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: WIDTH,
    config: CONFIG,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: category, type: 'nominal', title: null, sort: null, axis: LABELS },
      yOffset: { field: 'model', sort: null },
      x: { field: measure, type: 'quantitative' },
      color: { field: 'model', type: 'nominal', title: null, sort: null },
    },
  };
  return { name, title, spec };
}

/** The renderer is a bundle of its own beside this one (see vegaRender.ts); a run-time path keeps esbuild from inlining it. */
export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const bundle = './vegaRender.js';
  return (require(bundle) as typeof import('./vegaRender')).renderSvg(spec);
}

import embed, { type Result } from 'vega-embed';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Distribution } from '../../src/shared/statistics';
import { chartTheme, EMBED_OPTIONS, resetChartTheme, vegaConfig, type Theme } from '../common/vega';

/**
 * Distribution charts: vega-lite specs compiled once per shape and theme, filled with each
 * feature's data and rendered with the shared CSP-safe options (../common/vega.ts).
 */

export type ChartSize = 'inline' | 'detail';

type Row = Record<string, string | number>;

const DATA = 'table';

function specFor(kind: 'numeric' | 'categorical', size: ChartSize, labels: { a: string; b: string | null }, t: Theme, log: boolean): TopLevelSpec {
  const inline = size === 'inline';
  const datasets = labels.b === null ? [labels.a] : [labels.a, labels.b];
  const color = {
    field: 'dataset',
    type: 'nominal' as const,
    scale: { domain: datasets, range: [t.a, t.b].slice(0, datasets.length) },
    legend: inline ? null : { orient: 'top' as const, title: null },
  };
  const shareAxis = inline ? null : { format: '.0%', title: 'share', tickCount: 4 };
  const tooltip = [
    { field: 'dataset', type: 'nominal' as const, title: 'dataset' },
    ...(kind === 'numeric'
      ? [
          { field: 'x0', type: 'quantitative' as const, title: 'from', format: '.4~g' },
          { field: 'x1', type: 'quantitative' as const, title: 'to', format: '.4~g' },
        ]
      : [{ field: 'value', type: 'nominal' as const, title: 'value' }]),
    { field: 'share', type: 'quantitative' as const, title: 'share', format: '.2%' },
  ];
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { name: DATA },
    config: { ...vegaConfig(t), bar: { cornerRadiusEnd: 1 } },
    padding: inline ? 1 : 5,
    autosize: { type: 'fit' as const, contains: 'padding' as const },
  };
  if (kind === 'numeric') {
    return {
      ...base,
      width: inline ? 180 : 560,
      height: inline ? 34 : 200,
      mark: { type: 'bar', opacity: datasets.length > 1 ? 0.6 : 0.9, binSpacing: 0, stroke: null },
      encoding: {
        // Pre-binned data: `binned` makes vega-lite draw x0..x1 as one column from zero up.
        x: {
          field: 'x0',
          type: 'quantitative',
          bin: { binned: true },
          scale: { zero: false, nice: false },
          axis: inline ? null : { title: null, tickCount: 6, format: '~s' },
        },
        x2: { field: 'x1' },
        // Log: a long tail's small bins stay visible (symlog, since an empty bin's share is 0).
        y: { field: 'share', type: 'quantitative', stack: null, axis: shareAxis, ...(log && { scale: { type: 'symlog', constant: 0.001 } }) },
        color,
        tooltip,
      },
    } as unknown as TopLevelSpec;
  }
  return {
    ...base,
    width: inline ? 180 : 560,
    height: inline ? { step: datasets.length > 1 ? 3 : 6 } : { step: datasets.length > 1 ? 9 : 16 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'value', type: 'nominal', sort: null, axis: inline ? null : { title: null, labelLimit: 180 } },
      yOffset: { field: 'dataset', type: 'nominal', sort: datasets },
      x: { field: 'share', type: 'quantitative', axis: shareAxis, scale: { domainMin: 0 } },
      color,
      tooltip,
    },
  } as unknown as TopLevelSpec;
}

/** Compiled Vega specs by shape: vega-lite's compile is the slow step, so it runs once per shape. */
const compiled = new Map<string, { data?: { name: string; values?: unknown }[] }>();
/** Call when the colour theme changed: specs are recompiled with the new colours. */
export function resetTheme(): void {
  resetChartTheme();
  compiled.clear();
}

function vegaSpec(kind: 'numeric' | 'categorical', size: ChartSize, labels: { a: string; b: string | null }, rows: Row[], log = false) {
  const theme = chartTheme();
  const key = JSON.stringify([kind, size, labels.a, labels.b, log]);
  let spec = compiled.get(key);
  if (!spec) {
    spec = compile(specFor(kind, size, labels, theme, log)).spec;
    compiled.set(key, spec);
  }
  const copy = structuredClone(spec);
  const source = copy.data?.find((d) => d.name === DATA);
  if (source) source.values = rows;
  return copy;
}

/** Long-form rows of a distribution: one per bin (or value) and dataset. */
export function chartRows(d: Distribution, labels: { a: string; b: string | null }): Row[] {
  const rows: Row[] = [];
  const sides: [string, number[] | undefined][] = [
    [labels.a, d.a],
    [labels.b ?? '', labels.b === null ? undefined : d.b],
  ];
  for (const [dataset, shares] of sides) {
    if (!shares) continue;
    shares.forEach((share, i) => {
      if (d.edges) rows.push({ dataset, x0: d.edges[i], x1: d.edges[i + 1], share });
      else rows.push({ dataset, value: d.labels?.[i] ?? '', share });
    });
  }
  return rows;
}

export async function renderChart(
  el: HTMLElement,
  kind: 'numeric' | 'categorical',
  size: ChartSize,
  d: Distribution,
  labels: { a: string; b: string | null },
  log = false,
): Promise<Result> {
  const spec = vegaSpec(kind, size, labels, chartRows(d, labels), log);
  return embed(el, spec, EMBED_OPTIONS);
}

/**
 * Facets' quantiles view: per dataset, its equal-count bucket boundaries as ticks on one value
 * axis, joined min to max, so two distributions line up decile by decile whatever their tails.
 */
export async function renderQuantiles(el: HTMLElement, quantiles: { a: number[]; b?: number[] }, labels: { a: string; b: string | null }): Promise<Result> {
  const t = chartTheme();
  const sides: [string, number[] | undefined][] = [
    [labels.a, quantiles.a],
    [labels.b ?? '', labels.b === null ? undefined : quantiles.b],
  ];
  const ticks = sides.flatMap(([dataset, q]) =>
    (q ?? []).map((value, i) => ({ dataset, value, at: `${Math.round((100 * i) / Math.max(1, (q?.length ?? 1) - 1))}%` })),
  );
  const spans = sides.flatMap(([dataset, q]) => (q?.length ? [{ dataset, low: q[0], high: q[q.length - 1] }] : []));
  const datasets = sides.filter(([, q]) => q?.length).map(([dataset]) => dataset);
  const color = { field: 'dataset', type: 'nominal', scale: { domain: datasets, range: [t.a, t.b].slice(0, datasets.length) }, legend: null };
  const y = { field: 'dataset', type: 'nominal', sort: datasets, axis: { title: null } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: vegaConfig(t),
    width: 560,
    height: { step: 28 },
    autosize: { type: 'fit-x', contains: 'padding' },
    layer: [
      {
        data: { values: spans },
        mark: { type: 'rule', strokeWidth: 2, opacity: 0.5 },
        encoding: { x: { field: 'low', type: 'quantitative', title: 'value', scale: { zero: false } }, x2: { field: 'high' }, y, color },
      },
      {
        data: { values: ticks },
        mark: { type: 'tick', thickness: 2 },
        encoding: {
          x: { field: 'value', type: 'quantitative' },
          y,
          color,
          tooltip: [
            { field: 'dataset', type: 'nominal', title: 'dataset' },
            { field: 'at', type: 'nominal', title: 'quantile' },
            { field: 'value', type: 'quantitative', title: 'value', format: '.4~g' },
          ],
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return embed(el, compile(spec).spec, EMBED_OPTIONS);
}

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

function specFor(kind: 'numeric' | 'categorical', size: ChartSize, labels: { a: string; b: string | null }, t: Theme): TopLevelSpec {
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
        x: { field: 'x0', type: 'quantitative', bin: { binned: true }, scale: { zero: false, nice: false }, axis: inline ? null : { title: null, tickCount: 6, format: '~s' } },
        x2: { field: 'x1' },
        y: { field: 'share', type: 'quantitative', stack: null, axis: shareAxis },
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

function vegaSpec(kind: 'numeric' | 'categorical', size: ChartSize, labels: { a: string; b: string | null }, rows: Row[]) {
  const theme = chartTheme();
  const key = JSON.stringify([kind, size, labels.a, labels.b]);
  let spec = compiled.get(key);
  if (!spec) {
    spec = compile(specFor(kind, size, labels, theme)).spec as unknown as typeof spec;
    compiled.set(key, spec!);
  }
  const copy = structuredClone(spec!);
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
): Promise<Result> {
  const spec = vegaSpec(kind, size, labels, chartRows(d, labels));
  return embed(el, spec as never, EMBED_OPTIONS);
}

import embed, { type EmbedOptions, type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Distribution } from '../../src/shared/statistics';

/**
 * Charts: vega-lite specs compiled once per shape and theme, filled with each feature's data and
 * rendered by vega-embed as SVG. Everything that would need a looser CSP is off: `ast: true` with
 * the expression interpreter (no `new Function`), no injected <style> (`defaultStyle: false`, the
 * tooltip's default style disabled; statistics.css has both), no actions menu.
 */

export type ChartSize = 'inline' | 'detail';

export interface Theme {
  a: string;
  b: string;
  foreground: string;
  muted: string;
  grid: string;
  font: string;
  fontSize: number;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The theme's colours, read from VS Code's CSS variables (set on the page by VS Code). */
export function readTheme(): Theme {
  const s = getComputedStyle(document.documentElement);
  const fontSize = parseFloat(cssVar(s, '--vscode-font-size', '13'));
  return {
    a: cssVar(s, '--vscode-charts-blue', '#3794ff'),
    b: cssVar(s, '--vscode-charts-orange', '#d18616'),
    foreground: cssVar(s, '--vscode-foreground', '#cccccc'),
    muted: cssVar(s, '--vscode-descriptionForeground', '#9d9d9d'),
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', '#80808059')),
    font: cssVar(s, '--vscode-font-family', 'sans-serif'),
    fontSize: Number.isFinite(fontSize) ? fontSize : 13,
  };
}

function vegaConfig(t: Theme) {
  const text = { labelColor: t.muted, titleColor: t.foreground, labelFont: t.font, titleFont: t.font };
  return {
    background: 'transparent',
    font: t.font,
    view: { stroke: null },
    axis: { ...text, domainColor: t.grid, tickColor: t.grid, gridColor: t.grid, gridOpacity: 0.6, labelFontSize: t.fontSize - 2, titleFontSize: t.fontSize - 1 },
    legend: { ...text, labelFontSize: t.fontSize - 2, titleFontSize: t.fontSize - 1 },
    title: { color: t.foreground, font: t.font },
    bar: { cornerRadiusEnd: 1 },
  };
}

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
    config: vegaConfig(t),
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
let theme: Theme | undefined;

/** Call when the colour theme changed: specs are recompiled with the new colours. */
export function resetTheme(): void {
  theme = undefined;
  compiled.clear();
}

function vegaSpec(kind: 'numeric' | 'categorical', size: ChartSize, labels: { a: string; b: string | null }, rows: Row[]) {
  theme ??= readTheme();
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

const EMBED_OPTIONS: EmbedOptions = {
  mode: 'vega',
  renderer: 'svg',
  actions: false,
  ast: true,
  expr: expressionInterpreter,
  defaultStyle: false,
  // vega-tooltip's own <style> would be blocked; its rules are in statistics.css.
  tooltip: { disableDefaultStyle: true, theme: 'custom' } as EmbedOptions['tooltip'],
  logLevel: 0,
};

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

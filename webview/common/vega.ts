import embed, { vega, type EmbedOptions, type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * Vega-lite charts under the strict CSP, shared by every chart page (statistics, training, compare):
 * `ast: true` with the expression interpreter (no `new Function`), no injected <style> (the rules
 * are in vega.css), SVG so exports are crisp, colours from VS Code's theme variables.
 */

export type { Result, TopLevelSpec };
export type Row = Record<string, string | number | null>;

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
function readTheme(): Theme {
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

/** VS Code's chart colours, in the order series take them. */
const PALETTE_VARIABLES = ['blue', 'orange', 'green', 'purple', 'red', 'yellow'];

export interface ChartTheme extends Theme {
  palette: string[];
}

let theme: ChartTheme | undefined;

export function chartTheme(): ChartTheme {
  if (theme) return theme;
  const style = getComputedStyle(document.documentElement);
  const fallback = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
  const palette = PALETTE_VARIABLES.map((c, i) => style.getPropertyValue(`--vscode-charts-${c}`).trim() || fallback[i]);
  theme = { ...readTheme(), palette };
  return theme;
}

/** The colour theme changed: read the variables again on the next draw. */
export function resetChartTheme(): void {
  theme = undefined;
}

export function vegaConfig(t: Theme) {
  const text = { labelColor: t.muted, titleColor: t.foreground, labelFont: t.font, titleFont: t.font };
  return {
    background: 'transparent',
    font: t.font,
    view: { stroke: null },
    axis: {
      ...text,
      domainColor: t.grid,
      tickColor: t.grid,
      gridColor: t.grid,
      gridOpacity: 0.5,
      labelFontSize: t.fontSize - 2,
      titleFontSize: t.fontSize - 1,
    },
    legend: { ...text, labelFontSize: t.fontSize - 2, titleFontSize: t.fontSize - 1, symbolStrokeWidth: 3 },
    title: { color: t.foreground, font: t.font },
    text: { color: t.muted, font: t.font, fontSize: t.fontSize - 3 },
  };
}

const VEGA_LITE = 'https://vega.github.io/schema/vega-lite/v5.json';

/** A chart spec's start on every page: vega-lite 5, the card's width, `height` pixels tall, the theme's colours. */
export function chartBase(height: number, t: Theme = chartTheme()) {
  return { $schema: VEGA_LITE, width: 'container', height, autosize: { type: 'fit-x', contains: 'padding' }, config: vegaConfig(t) };
}

/** A chart to draw: its spec and the rows of its named datasets. */
export interface Chart {
  spec: TopLevelSpec;
  data: Record<string, Row[]>;
}

export const EMBED_OPTIONS: EmbedOptions = {
  mode: 'vega',
  renderer: 'svg',
  actions: false,
  ast: true,
  expr: expressionInterpreter,
  defaultStyle: false,
  // vega-tooltip's own <style> would be blocked; its rules are in vega.css.
  tooltip: { disableDefaultStyle: true, theme: 'custom' } as EmbedOptions['tooltip'],
  logLevel: 0,
};

/** Compiles the vega-lite spec, fills its named datasets and draws it into `el`. */
export async function draw(el: HTMLElement, spec: TopLevelSpec, data: Record<string, Row[]>): Promise<Result> {
  const compiled = compile(spec).spec as { data?: { name: string; values?: unknown }[] };
  for (const d of compiled.data ?? []) if (d.name in data) d.values = data[d.name];
  return embed(el, compiled, EMBED_OPTIONS);
}

/** Adds rows to a drawn chart's dataset (and first removes those matching `remove`), then redraws. */
export async function changeData(result: Result, dataset: string, insert: Row[], remove?: (row: Row) => boolean): Promise<void> {
  const change = vega.changeset().insert(insert);
  if (remove) change.remove(remove);
  await result.view.change(dataset, change).runAsync();
}

/** The chart as an image for the extension to save: SVG text or a PNG data URL at twice the size. */
export async function chartImage(result: Result, format: 'svg' | 'png'): Promise<string> {
  return format === 'svg' ? result.view.toSVG() : result.view.toImageURL('png', 2);
}

import type { ChartView, SeriesPoints } from '../../src/shared/training';
import { changeData, chartBase, chartImage, chartTheme, draw, type Result, type Row, type TopLevelSpec } from '../common/vega';

const DATA = 'table';

export interface LineOptions {
  smoothing: boolean;
  logScale: boolean;
  /** Smallest value over the chart's series: a log axis needs it positive (else symlog). */
  min: number | null;
}

/** The chart's rows: one per point, long form (series, step, value, smoothed). */
export function rowsOf(key: string, p: SeriesPoints): Row[] {
  const rows = new Array<Row>(p.steps.length);
  for (let i = 0; i < p.steps.length; i++) {
    rows[i] = { series: key, step: p.steps[i], value: p.values[i], smoothed: p.smoothed.length ? p.smoothed[i] : p.values[i] };
  }
  return rows;
}

/**
 * A metric's lines (training and validation, or one per-batch curve) like TensorBoard draws them: the
 * raw values faint under the smoothed line, drag to pan and wheel to zoom (double-click resets), the
 * nearest point's values on hover.
 */
function lineSpec(chart: ChartView, o: LineOptions): TopLevelSpec {
  const t = chartTheme();
  const y = o.smoothing ? 'smoothed' : 'value';
  // The data's own range: a "nice" log domain would stretch 0.4..0.9 to 0.1..1 and flatten the curve.
  const scale = o.logScale ? { type: o.min !== null && o.min > 0 ? 'log' : 'symlog', nice: false } : { zero: false };
  const tooltip = [
    { field: 'series', type: 'nominal', title: 'metric' },
    { field: 'step', type: 'quantitative', title: chart.axis },
    { field: 'value', type: 'quantitative', format: '.4~g' },
    ...(o.smoothing ? [{ field: 'smoothed', type: 'quantitative', format: '.4~g' }] : []),
  ];
  return {
    ...chartBase(220, t),
    data: { name: DATA },
    encoding: {
      x: {
        field: 'step',
        type: 'quantitative',
        title: chart.axis,
        scale: { zero: false, nice: false },
        axis: { tickCount: 8, format: chart.axis === 'epoch' ? 'd' : '~s' },
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: chart.keys, range: chart.keys.map((_, i) => t.palette[i % t.palette.length]) },
        // The raw layer is faint; the legend shows the series' full colour.
        legend: { orient: 'top', symbolOpacity: 1 },
      },
    },
    layer: [
      {
        params: [{ name: 'zoom', select: 'interval', bind: 'scales' }],
        mark: { type: 'line', strokeWidth: 1.25, opacity: o.smoothing ? 0.3 : 1 },
        encoding: { y: { field: 'value', type: 'quantitative', title: null, scale } },
      },
      ...(o.smoothing ? [{ mark: { type: 'line', strokeWidth: 2 }, encoding: { y: { field: 'smoothed', type: 'quantitative' } } }] : []),
      {
        params: [{ name: 'hover', select: { type: 'point', fields: ['series', 'step'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
        mark: { type: 'point', filled: true, size: 40 },
        encoding: {
          y: { field: y, type: 'quantitative' },
          opacity: { condition: { param: 'hover', empty: false, value: 1 }, value: 0 },
          tooltip,
        },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** One chart on the page: its vega view and the rows it holds, so updates append to it. */
export class LineChart {
  private result: Result | undefined;
  private readonly counts = new Map<string, number>();

  constructor(
    readonly view: ChartView,
    readonly element: HTMLElement,
  ) {}

  async render(series: Map<string, SeriesPoints>, o: LineOptions): Promise<void> {
    this.result?.finalize();
    const rows: Row[] = [];
    for (const key of this.view.keys) {
      const p = series.get(key);
      if (!p) continue;
      rows.push(...rowsOf(key, p));
      this.counts.set(key, p.steps.length);
    }
    this.result = await draw(this.element, lineSpec(this.view, o), { [DATA]: rows });
  }

  /** New points of one series; `replace` swaps the whole series for a fresh down-sampled one. */
  async add(key: string, points: SeriesPoints, replace: boolean): Promise<void> {
    if (!this.result) return;
    await changeData(this.result, DATA, rowsOf(key, points), replace ? (row) => row.series === key : undefined);
    this.counts.set(key, (replace ? 0 : (this.counts.get(key) ?? 0)) + points.steps.length);
  }

  /** Points drawn per series. */
  points(): [string, number][] {
    return [...this.counts];
  }

  image(format: 'svg' | 'png'): Promise<string> | undefined {
    return this.result && chartImage(this.result, format);
  }

  finalize(): void {
    this.result?.finalize();
    this.result = undefined;
  }
}

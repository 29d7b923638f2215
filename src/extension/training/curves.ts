import type { MetricSeriesCursor, MetricSeriesPage } from '../../core/store/types';
import type { ChartView, SeriesPoints, SeriesUpdate, SeriesView } from '../../shared/training';
import { chartsFor, seriesRole } from './charts';
import { downsampleIndices, pick } from './downsample';
import { EMA_START, emaSmooth, type EmaState } from './smoothing';

/** How the curves are read: the store's metric queries for one run. */
export interface CurvesSource {
  keys(): string[];
  points(key: string, after: MetricSeriesCursor | null, limit: number): MetricSeriesPage;
}

/** Rows read per query: big enough for few round trips, small enough to yield between them. */
const PAGE = 50_000;
/** Points per series drawn: a chart is at most a couple of thousand pixels wide. */
export const DEFAULT_BUDGET = 2000;

/** Every point of one key, as read so far, with its smoothing. */
class Series {
  readonly steps: number[] = [];
  readonly values: number[] = [];
  smoothed: number[] = [];
  cursor: MetricSeriesCursor | null = null;
  ema: EmaState = EMA_START;
  min: number | null = null;
  /** Points the webview holds since the last full send: appends grow it, a full send resets it. */
  shown = 0;
  /** Index of the first point the webview has not received. */
  sent = 0;

  constructor(readonly key: string) {}

  append(page: MetricSeriesPage, smoothing: number): void {
    for (let i = 0; i < page.steps.length; i++) {
      this.steps.push(page.steps[i]);
      this.values.push(page.values[i]);
      const v = page.values[i];
      if (Number.isFinite(v) && (this.min === null || v < this.min)) this.min = v;
    }
    if (smoothing > 0) {
      const { smoothed, state } = emaSmooth(page.values, smoothing, this.ema);
      for (const s of smoothed) this.smoothed.push(s);
      this.ema = state;
    }
    this.cursor = page.cursor;
  }

  resmooth(smoothing: number): void {
    if (smoothing > 0) ({ smoothed: this.smoothed, state: this.ema } = emaSmooth(this.values, smoothing));
    else {
      this.smoothed = [];
      this.ema = EMA_START;
    }
  }
}

/**
 * A run's metric curves held in memory (a million points is a few tens of MB) so that live updates
 * read only what was logged since the last look, and what the chart is sent stays bounded: a full
 * send is down-sampled to `budget` points per series; later points go as they come, until a series
 * has grown past twice the budget in the webview, when it is sent again down-sampled.
 */
export class RunCurves {
  private readonly series = new Map<string, Series>();
  private smoothingWeight: number;

  constructor(
    private readonly source: CurvesSource,
    smoothing: number,
    readonly budget = DEFAULT_BUDGET,
    /** Lets the event loop breathe between pages of a long read (the extension host is shared). */
    private readonly pause: () => Promise<void> = () => new Promise((r) => setImmediate(r)),
  ) {
    this.smoothingWeight = smoothing;
  }

  get smoothing(): number {
    return this.smoothingWeight;
  }

  keys(): string[] {
    return [...this.series.keys()];
  }

  /** Points read per key. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.series].map(([k, s]) => [k, s.values.length]));
  }

  /**
   * The keys drawn: the trainer's (a live `val_loss` has one point after the first epoch and is a
   * curve in the making) and any other key once it has points at two steps; a single figure
   * (`final.auc`, `bad_rows`) is no curve and stays in the run details.
   */
  private chartKeys(): string[] {
    const all = new Set(this.series.keys());
    return [...this.series.values()].filter((s) => seriesRole(s.key, all) !== 'other' || s.steps[0] !== s.steps.at(-1)).map((s) => s.key);
  }

  charts(): ChartView[] {
    return chartsFor(this.chartKeys());
  }

  /**
   * Reads what was logged since the last call (everything, the first time). Returns the keys that
   * got points and whether the charts changed (a new key, or a figure that became a curve).
   */
  async read(): Promise<{ changed: string[]; newKeys: boolean }> {
    const before = this.chartKeys().join('\n');
    for (const key of this.source.keys()) if (!this.series.has(key)) this.series.set(key, new Series(key));
    const changed: string[] = [];
    for (const s of this.series.values()) {
      const read = s.values.length;
      for (;;) {
        const page = this.source.points(s.key, s.cursor, PAGE);
        s.append(page, this.smoothingWeight);
        if (page.done) break;
        await this.pause();
      }
      if (s.values.length > read) changed.push(s.key);
    }
    return { changed, newKeys: this.chartKeys().join('\n') !== before };
  }

  setSmoothing(weight: number): void {
    this.smoothingWeight = weight;
    for (const s of this.series.values()) s.resmooth(weight);
  }

  /** Every drawn series, down-sampled to the budget; the webview now holds exactly these. */
  fullSeries(): SeriesView[] {
    const all = new Set(this.series.keys());
    return this.chartKeys().map((key) => {
      const s = this.series.get(key)!;
      const points = this.downsampled(s);
      s.shown = points.steps.length;
      s.sent = s.values.length;
      return { key: s.key, role: seriesRole(s.key, all), points, total: s.values.length, min: s.min };
    });
  }

  /** What the webview lacks of each series: the new points, or the series afresh when it grew too long. */
  updates(): SeriesUpdate[] {
    const out: SeriesUpdate[] = [];
    for (const key of this.chartKeys()) {
      const s = this.series.get(key)!;
      if (s.sent >= s.values.length) continue;
      const fresh = s.values.length - s.sent;
      const replace = s.shown + fresh > 2 * this.budget;
      const points = replace ? this.downsampled(s) : this.slice(s, s.sent);
      s.shown = replace ? points.steps.length : s.shown + points.steps.length;
      s.sent = s.values.length;
      out.push({ key: s.key, replace, points, total: s.values.length, min: s.min });
    }
    return out;
  }

  /** Full-resolution points of the chart's series, one column per key, one row per step. */
  table(chart: ChartView): { header: string[]; rows: (number | string)[][] } {
    const columns = chart.keys.map((k) => this.series.get(k)).filter((s): s is Series => !!s);
    const byStep = new Map<number, (number | string)[]>();
    columns.forEach((s, c) => {
      for (let i = 0; i < s.steps.length; i++) {
        let row = byStep.get(s.steps[i]);
        if (!row) byStep.set(s.steps[i], (row = new Array<number | string>(columns.length).fill('')));
        // A step logged twice (a resumed epoch): the later value is the one that counts.
        row[c] = s.values[i];
      }
    });
    const rows = [...byStep].sort((a, b) => a[0] - b[0]).map(([step, values]) => [step, ...values]);
    return { header: [chart.axis, ...columns.map((s) => s.key)], rows };
  }

  private downsampled(s: Series): SeriesPoints {
    const keep = downsampleIndices(s.steps, s.values, this.budget);
    return { steps: pick(s.steps, keep), values: pick(s.values, keep), smoothed: s.smoothed.length ? pick(s.smoothed, keep) : [] };
  }

  private slice(s: Series, from: number): SeriesPoints {
    const keep: number[] = [];
    for (let i = from; i < s.values.length; i++) if (Number.isFinite(s.values[i])) keep.push(i);
    return { steps: pick(s.steps, keep), values: pick(s.values, keep), smoothed: s.smoothed.length ? pick(s.smoothed, keep) : [] };
  }
}

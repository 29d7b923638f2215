import { toCsv as csvDocument } from '../../core/util/csvText';
import { quantileView } from '../../core/stats/quantiles';
import type { DatasetStatistics, FeatureStatistics, Histogram, NumericStatistics, StatisticsFile } from '../../core/stats/types';
import { DETAIL_TOP_VALUES, INLINE_TOP_VALUES } from '../../shared/statistics';
import type {
  CategoricalRow,
  CategoricalSide,
  DatasetChoice,
  Distribution,
  FeatureDetail,
  NumericRow,
  NumericSide,
  StatisticsView,
} from '../../shared/statistics';

/**
 * Statistics file → what the panel shows. Pure (no `vscode`), so the figures are tested directly:
 * shares, histograms re-binned onto a range both datasets share, the per-feature distance, CSV.
 * The webview gets only these trimmed rows, never the file (a rank histogram alone can hold 1000
 * values per feature).
 */

export const INLINE_BINS = 10;
export const DETAIL_BINS = 20;

/** A light shape check: enough to refuse a file that is not statistics, before indexing into it. */
export function isStatisticsFile(v: unknown): v is StatisticsFile {
  const o = v as StatisticsFile | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    o.format === 'mlops-statistics' &&
    Array.isArray(o.datasets) &&
    o.datasets.every((d) => typeof d?.name === 'string' && Array.isArray(d.features))
  );
}

export function datasetChoices(file: StatisticsFile): DatasetChoice[] {
  return file.datasets.map((d) => ({
    name: d.name,
    split: d.split,
    span: d.span ?? null,
    slice: d.slice?.length ? d.slice.map((s) => `${s.feature}=${s.value}`).join(', ') : null,
    numExamples: d.numExamples,
  }));
}

/**
 * Pairs worth comparing, most useful first: train vs eval (the split), the newest span vs the one
 * before (drift), train vs serving (skew), then each older span vs its predecessor.
 */
export function suggestedPairs(datasets: readonly DatasetChoice[]): { a: string; b: string; label: string }[] {
  const names = new Set(datasets.map((d) => d.name));
  const pairs: { a: string; b: string; label: string }[] = [];
  const add = (a: string, b: string, label: string) => {
    if (names.has(a) && names.has(b) && a !== b && !pairs.some((p) => p.a === a && p.b === b)) pairs.push({ a, b, label });
  };
  add('train', 'eval', 'train vs eval (split)');
  const spansBySplit = new Map<string, string[]>();
  for (const d of datasets) {
    if (d.span === null || d.slice !== null) continue;
    spansBySplit.set(d.split, [...(spansBySplit.get(d.split) ?? []), d.name]);
  }
  const spanPairs: { a: string; b: string; label: string }[] = [];
  for (const spans of spansBySplit.values()) {
    for (let i = spans.length - 1; i > 0; i--) spanPairs.push({ a: spans[i], b: spans[i - 1], label: `${spans[i]} vs ${spans[i - 1]} (drift)` });
  }
  if (spanPairs[0]) add(spanPairs[0].a, spanPairs[0].b, spanPairs[0].label);
  add('train', 'serving', 'train vs serving (skew)');
  add('eval', 'serving', 'eval vs serving');
  for (const p of spanPairs.slice(1)) add(p.a, p.b, p.label);
  return pairs;
}

/** The pair a panel opens with: the first suggestion, else the first dataset alone. */
export function defaultPair(datasets: readonly DatasetChoice[]): { a: string; b: string | null } | undefined {
  const [first] = suggestedPairs(datasets);
  if (first) return { a: first.a, b: first.b };
  return datasets[0] ? { a: datasets[0].name, b: null } : undefined;
}

export function findDataset(file: StatisticsFile, name: string | null | undefined): DatasetStatistics | undefined {
  return name === null || name === undefined ? undefined : file.datasets.find((d) => d.name === name);
}

/** A categorical row: strings and bools, and anything that has only categorical statistics. */
export function isCategorical(f: FeatureStatistics): boolean {
  return !!f.categorical && (f.type === 'string' || f.type === 'bool' || !f.numeric);
}

const round = (x: number, digits = 5) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
const sig = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);
const share = (n: number, of: number) => (of > 0 ? n / of : 0);

function total(f: FeatureStatistics): number {
  return f.numPresent + f.numMissing;
}

function numericSide(f: FeatureStatistics): NumericSide | null {
  const n = f.numeric;
  if (!n) return null;
  return {
    count: f.numPresent,
    missing: share(f.numMissing, total(f)),
    mean: n.mean,
    stdDev: n.stdDev,
    zeros: share(n.numZeros, total(f)),
    min: n.min,
    median: n.median,
    max: n.max,
  };
}

function categoricalSide(f: FeatureStatistics): CategoricalSide | null {
  const c = f.categorical;
  if (!c) return null;
  const top = c.topValues[0];
  return {
    count: f.numPresent,
    missing: share(f.numMissing, total(f)),
    unique: c.unique,
    uniqueExact: c.uniqueExact,
    topValue: top?.value ?? null,
    topFreq: top ? share(top.count, f.numPresent) : 0,
    avgLength: c.avgLength,
  };
}

/** Finite range of a histogram's buckets, or undefined when it has none. */
function histogramRange(h: Histogram | undefined): [number, number] | undefined {
  const finite = (h?.buckets ?? []).filter((b) => Number.isFinite(b.low) && Number.isFinite(b.high));
  if (!finite.length) return undefined;
  return [Math.min(...finite.map((b) => b.low)), Math.max(...finite.map((b) => b.high))];
}

/** `bins` equal-width edges over lo..hi; a single value gets a unit-wide bin around it. */
export function equalEdges(lo: number, hi: number, bins: number): number[] {
  if (!(hi > lo)) return [lo - 0.5, lo + 0.5];
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
}

/**
 * Spreads a histogram's counts onto other edges, assuming values are uniform inside each source
 * bucket (the only assumption a 10-bucket summary allows). A zero-width bucket (a constant feature)
 * lands whole in the bin holding its value. Values outside the edges go to the nearest end bin.
 */
export function rebin(h: Histogram, edges: readonly number[]): number[] {
  const n = edges.length - 1;
  const out = new Array<number>(n).fill(0);
  const binOf = (x: number) => {
    if (x <= edges[0]) return 0;
    if (x >= edges[n]) return n - 1;
    let lo = 0;
    let hi = n;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= x) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  for (const b of h.buckets) {
    if (!(b.count > 0) || !Number.isFinite(b.low) || !Number.isFinite(b.high)) continue;
    if (!(b.high > b.low)) {
      out[binOf(b.low)] += b.count;
      continue;
    }
    const first = binOf(b.low);
    const last = binOf(b.high);
    let placed = 0;
    for (let i = first; i <= last; i++) {
      const overlap = Math.max(0, Math.min(b.high, edges[i + 1]) - Math.max(b.low, edges[i]));
      const part = (b.count * overlap) / (b.high - b.low);
      out[i] += part;
      placed += part;
    }
    // What fell outside the edges (a bucket poking out of them) stays in the nearest end bin.
    if (b.count - placed > 1e-9) out[b.low < edges[0] ? 0 : n - 1] += b.count - placed;
  }
  return out;
}

/**
 * Counts of a feature's values in the bins `edges` bound, read from its quantile sketch: both sides
 * of a comparison are binned on the same edges from their own values (spreading each side's ten
 * stored buckets evenly invented skew where their buckets did not line up: 46%/46% against 65%/24%
 * for two fares with the same median). Bin i holds values in (edges[i], edges[i + 1]], the first
 * also its lower edge. Statistics without a readable sketch fall back to spreading the buckets.
 */
export function binCounts(numeric: NumericStatistics, edges: readonly number[]): number[] {
  let view: ReturnType<typeof quantileView>;
  try {
    view = quantileView(numeric);
  } catch {
    return rebin(numeric.histogram, edges);
  }
  if (!(view.count > 0)) return edges.slice(1).map(() => 0);
  const below = edges.map((e, i) => (i === 0 ? 0 : i === edges.length - 1 ? 1 : view.cdf(e)));
  return below.slice(1).map((f, i) => Math.max(0, f - below[i]) * view.count);
}

function normalize(v: readonly number[]): number[] | undefined {
  const sum = v.reduce((s, x) => s + x, 0);
  return sum > 0 ? v.map((x) => x / sum) : undefined;
}

/**
 * Jensen-Shannon divergence of two histograms on the same bins, log base 2 so it lies in 0..1.
 * Undefined when either side is empty.
 */
export function jensenShannon(p: readonly number[], q: readonly number[]): number | undefined {
  const P = normalize(p);
  const Q = normalize(q);
  if (!P || !Q || P.length !== Q.length) return undefined;
  let d = 0;
  for (let i = 0; i < P.length; i++) {
    const m = (P[i] + Q[i]) / 2;
    if (P[i] > 0) d += 0.5 * P[i] * Math.log2(P[i] / m);
    if (Q[i] > 0) d += 0.5 * Q[i] * Math.log2(Q[i] / m);
  }
  return Math.min(Math.max(d, 0), 1);
}

/**
 * L-infinity distance of two value-count lists (TFDV's categorical drift/skew measure): the largest
 * difference between the normalized frequencies of one value, and the value where it is reached.
 */
export function lInfinity(
  a: readonly { value: string; count: number }[],
  b: readonly { value: string; count: number }[],
): { distance: number; at: string } | undefined {
  const sumA = a.reduce((s, v) => s + v.count, 0);
  const sumB = b.reduce((s, v) => s + v.count, 0);
  if (!(sumA > 0) || !(sumB > 0)) return undefined;
  const freq = new Map<string, number>();
  for (const v of a) freq.set(v.value, (freq.get(v.value) ?? 0) + v.count / sumA);
  for (const v of b) freq.set(v.value, (freq.get(v.value) ?? 0) - v.count / sumB);
  let best = { distance: 0, at: '' };
  for (const [value, diff] of freq) if (Math.abs(diff) > best.distance) best = { distance: Math.abs(diff), at: value };
  return best;
}

function numericChart(fa: FeatureStatistics | undefined, fb: FeatureStatistics | undefined, bins: number): { chart: Distribution; distance: number | null } {
  const ranges = [histogramRange(fa?.numeric?.histogram), histogramRange(fb?.numeric?.histogram)].filter((r): r is [number, number] => !!r);
  if (!ranges.length) return { chart: { edges: [], a: [], ...(fb ? { b: [] } : {}) }, distance: null };
  const edges = equalEdges(Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1])), bins);
  const ca = fa?.numeric ? binCounts(fa.numeric, edges) : edges.slice(1).map(() => 0);
  const cb = fb?.numeric ? binCounts(fb.numeric, edges) : undefined;
  const distance = cb ? (jensenShannon(ca, cb) ?? null) : null;
  const shares = (c: number[]) => (normalize(c) ?? c).map((x) => round(x));
  return { chart: { edges: edges.map(sig), a: shares(ca), ...(cb ? { b: shares(cb) } : {}) }, distance };
}

function valueCounts(f: FeatureStatistics | undefined): { value: string; count: number }[] {
  const c = f?.categorical;
  if (!c) return [];
  return c.rankHistogram.length ? c.rankHistogram : c.topValues;
}

function categoricalChart(fa: FeatureStatistics | undefined, fb: FeatureStatistics | undefined, limit: number, withB: boolean): Distribution {
  const shareOf = (f: FeatureStatistics | undefined) => {
    const m = new Map<string, number>();
    if (!f) return m;
    for (const v of valueCounts(f)) m.set(v.value, share(v.count, f.numPresent));
    return m;
  };
  const sa = shareOf(fa);
  const sb = shareOf(fb);
  // Each side's top values, ranked by the larger of the two shares, so a value that only B has
  // much of still shows.
  const candidates = new Set([...(fa?.categorical?.topValues ?? []), ...(fb?.categorical?.topValues ?? [])].map((t) => t.value));
  for (const v of valueCounts(fa).slice(0, limit)) candidates.add(v.value);
  for (const v of valueCounts(fb).slice(0, limit)) candidates.add(v.value);
  const labels = [...candidates]
    .sort((x, y) => Math.max(sa.get(y) ?? 0, sb.get(y) ?? 0) - Math.max(sa.get(x) ?? 0, sb.get(x) ?? 0) || x.localeCompare(y))
    .slice(0, limit);
  return {
    labels,
    a: labels.map((l) => round(sa.get(l) ?? 0)),
    ...(withB ? { b: labels.map((l) => round(sb.get(l) ?? 0)) } : {}),
  };
}

export interface ViewContext {
  runId: number;
  pipeline: string;
  artifactPath: string;
}

/**
 * The table rows for datasets A and B (B optional). Every feature of either dataset gets a row; a
 * side without the feature is null. Rows come sorted by name; the webview re-sorts.
 */
export function buildView(file: StatisticsFile, a: string, b: string | null, ctx: ViewContext, focus?: string): StatisticsView {
  const datasets = datasetChoices(file);
  const da = findDataset(file, a);
  const db = findDataset(file, b);
  const byName = (d: DatasetStatistics | undefined) => new Map((d?.features ?? []).map((f) => [f.name, f]));
  const fa = byName(da);
  const fb = byName(db);
  const names = [...new Set([...fa.keys(), ...fb.keys()])].sort((x, y) => x.localeCompare(y));
  const numeric: NumericRow[] = [];
  const categorical: CategoricalRow[] = [];
  for (const name of names) {
    const x = fa.get(name);
    const y = fb.get(name);
    const any = (x ?? y)!;
    if (isCategorical(any)) {
      const l = x?.categorical && y?.categorical ? lInfinity(valueCounts(x), valueCounts(y)) : undefined;
      categorical.push({
        name,
        type: any.type,
        a: x ? categoricalSide(x) : null,
        b: y ? categoricalSide(y) : null,
        distance: l ? round(l.distance, 6) : null,
        ...(l ? { distanceAt: l.at } : {}),
        chart: categoricalChart(x, y, INLINE_TOP_VALUES, !!db),
      });
    } else {
      const { chart, distance } = numericChart(x, db ? y : undefined, INLINE_BINS);
      // With B selected but lacking the feature, the chart still has an (empty) B series.
      if (db && !y) chart.b = chart.a.map(() => 0);
      numeric.push({
        name,
        type: any.type,
        a: x ? numericSide(x) : null,
        b: y ? numericSide(y) : null,
        distance: distance === null ? null : round(distance, 6),
        chart,
      });
    }
  }
  return {
    runId: ctx.runId,
    pipeline: ctx.pipeline,
    artifactPath: ctx.artifactPath,
    datasets,
    pairs: suggestedPairs(datasets),
    a,
    b: db ? b : null,
    numeric,
    categorical,
    ...(focus && names.includes(focus) ? { focus } : {}),
  };
}

function boundaries(h: Histogram | undefined): number[] {
  if (!h?.buckets.length) return [];
  return [h.buckets[0].low, ...h.buckets.map((b) => b.high)].map(sig);
}

/** What an expanded row shows; undefined when neither dataset has the feature. */
export function featureDetail(file: StatisticsFile, a: string, b: string | null, feature: string): FeatureDetail | undefined {
  const da = findDataset(file, a);
  const db = findDataset(file, b);
  const x = da?.features.find((f) => f.name === feature);
  const y = db?.features.find((f) => f.name === feature);
  const any = x ?? y;
  if (!any) return undefined;
  const base = { feature, a, b: db ? b : null };
  if (isCategorical(any)) {
    const top = (f: FeatureStatistics | undefined) =>
      (f?.categorical?.topValues ?? []).slice(0, DETAIL_TOP_VALUES).map((t) => ({ value: t.value, count: t.count }));
    return {
      ...base,
      kind: 'categorical',
      chart: categoricalChart(x, y, DETAIL_TOP_VALUES, !!db),
      top: { a: top(x), ...(db ? { b: top(y) } : {}) },
    };
  }
  const { chart } = numericChart(x, db ? y : undefined, DETAIL_BINS);
  if (db && !y) chart.b = chart.a.map(() => 0);
  return {
    ...base,
    kind: 'numeric',
    chart,
    quantiles: { a: boundaries(x?.numeric?.quantiles), ...(db ? { b: boundaries(y?.numeric?.quantiles) } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------
// CSV

const NUMERIC_COLUMNS = ['count', 'missing', 'mean', 'std_dev', 'zeros', 'min', 'median', 'max'] as const;
const CATEGORICAL_COLUMNS = ['count', 'missing', 'unique', 'top_value', 'top_freq', 'avg_length'] as const;

/**
 * The table as CSV, one line per feature in `order` (the webview's sort and filter), both tables in
 * one file: a `kind` column tells them apart, and columns a kind lacks stay empty. Shares are
 * fractions (0..1), as numbers for a spreadsheet rather than formatted percentages.
 */
export function toCsv(view: StatisticsView, order?: readonly string[]): string {
  const sides = view.b === null ? [view.a] : [view.a, view.b];
  const columns = [...new Set([...NUMERIC_COLUMNS, ...CATEGORICAL_COLUMNS])];
  const header = [
    'feature',
    'kind',
    'type',
    ...sides.flatMap((d) => columns.map((c) => `${c} (${d})`)),
    ...(view.b === null ? [] : ['distance', 'distance_method']),
  ];
  const rows = new Map<string, (string | number | boolean | null)[]>();
  const sideCells = (s: Record<string, unknown> | null, kind: 'numeric' | 'categorical') =>
    columns.map((c) => {
      if (!s) return null;
      const key = { std_dev: 'stdDev', top_value: 'topValue', top_freq: 'topFreq', avg_length: 'avgLength' }[c as string] ?? c;
      const v = s[key];
      const applies = kind === 'numeric' ? (NUMERIC_COLUMNS as readonly string[]).includes(c) : (CATEGORICAL_COLUMNS as readonly string[]).includes(c);
      return applies && (typeof v === 'number' || typeof v === 'string') ? v : null;
    });
  for (const r of view.numeric) {
    const cells = [r.name, 'numeric', r.type, ...sideCells(r.a, 'numeric')];
    if (view.b !== null) cells.push(...sideCells(r.b, 'numeric'), r.distance, r.distance === null ? null : 'jsd');
    rows.set(r.name, cells);
  }
  for (const r of view.categorical) {
    const cells = [r.name, 'categorical', r.type, ...sideCells(r.a, 'categorical')];
    if (view.b !== null) cells.push(...sideCells(r.b, 'categorical'), r.distance, r.distance === null ? null : 'linf');
    rows.set(r.name, cells);
  }
  const names = order?.length ? order.filter((n) => rows.has(n)) : [...rows.keys()];
  return csvDocument(
    header,
    names.map((n) => rows.get(n)!),
  );
}

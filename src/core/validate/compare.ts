import type { ComparatorThresholds, DataSchema, FeatureSchema } from '../schema/types';
import type { DatasetStatistics, FeatureStatistics, NumericStatistics } from '../stats/types';
import { type Finding } from './anomalies/finding';
import { comparatorFinding, type Measurement } from './anomalies/comparator';
import { chiSquareTest } from './comparators/chi2';
import { jensenShannonCategorical, jensenShannonNumeric } from './comparators/jsd';
import { ksTest } from './comparators/ks';
import { lInfinity } from './comparators/linf';
import { psiCategorical, psiNumeric } from './comparators/psi';
import { type CategoryCounts, normalizedPoints, type QuantileView } from './comparators/view';
import { normalizedWasserstein } from './comparators/wasserstein';
import type { ComparatorMethod, ComparatorResult } from './types';

export type ViewOf = (numeric: NumericStatistics) => QuantileView;

export const METHODS: readonly ComparatorMethod[] = ['linf', 'jsd', 'psi', 'wasserstein', 'ks', 'chi2'];

/**
 * Thresholds used when a method is asked for without one (Evidently's defaults). Tests fire at
 * p ≤ 0.05. Evidently's Jensen-Shannon threshold is 0.1 on the *distance* with natural logs,
 * √(JSD_ln); our `jsd` is TFDV's base-2 divergence, so the same rule is JSD₂ > 0.1² / ln 2 ≈ 0.0144.
 * PSI 0.1 is the usual warning level (0.25 the alarm). L-infinity has no default: TFDV sets none.
 */
export const DEFAULT_THRESHOLDS: Readonly<Record<Exclude<ComparatorMethod, 'linf'>, number>> = {
  jsd: 0.1 ** 2 / Math.LN2,
  psi: 0.1,
  wasserstein: 0.1,
  ks: 0.05,
  chi2: 0.05,
};

/** Evidently's switch from p-value tests to distances, and its "few distinct values" cut. */
export const AUTO_MAX_ROWS_FOR_TESTS = 1000;
export const AUTO_MIN_DISTINCT_FOR_KS = 5;

const P_VALUE_METHODS = new Set<ComparatorMethod>(['ks', 'chi2']);

/** Whether a measurement fires: distances strictly above the threshold, tests at p ≤ threshold. */
export function fires(method: ComparatorMethod, value: number, threshold: number, pValue?: number): boolean {
  return P_VALUE_METHODS.has(method) ? (pValue ?? 1) <= threshold : value > threshold;
}

type Kind = 'categorical' | 'numeric';

function kindOf(schema: FeatureSchema | undefined, a: FeatureStatistics, b: FeatureStatistics): Kind {
  if (schema) return schema.type === 'string' || schema.type === 'bool' || schema.categorical ? 'categorical' : 'numeric';
  return a.categorical && b.categorical ? 'categorical' : 'numeric';
}

function countsOf(f: FeatureStatistics): CategoryCounts | undefined {
  return f.categorical ? new Map(f.categorical.rankHistogram.map((b) => [b.value, b.count])) : undefined;
}

/** A low-cardinality numeric column as categories, for chi-square under `auto`. */
function countsFromView(view: QuantileView): CategoryCounts {
  return new Map(normalizedPoints(view).map((p) => [String(p.value), p.weight * view.count]));
}

interface Sides {
  cur: FeatureStatistics;
  ref: FeatureStatistics;
  kind: Kind;
  viewOf: ViewOf;
}

/** One method on one feature; undefined when the method does not apply to the data it has. */
function measure(method: ComparatorMethod, s: Sides): Omit<Measurement, 'threshold'> | undefined {
  const counts = () => {
    const a = countsOf(s.cur);
    const b = countsOf(s.ref);
    return a && b ? ([a, b] as const) : undefined;
  };
  const views = () => (s.cur.numeric && s.ref.numeric ? ([s.viewOf(s.cur.numeric), s.viewOf(s.ref.numeric)] as const) : undefined);
  switch (method) {
    case 'linf': {
      const c = counts();
      if (!c) return undefined;
      const r = lInfinity(c[0], c[1]);
      return { method, value: r.value, at: r.at };
    }
    case 'chi2': {
      const c = counts() ?? lowCardinality(s);
      if (!c) return undefined;
      const r = chiSquareTest(c[0], c[1]);
      return { method, value: r.statistic, pValue: r.pValue };
    }
    case 'jsd':
    case 'psi': {
      const c = s.kind === 'categorical' ? counts() : undefined;
      if (c) return { method, value: method === 'jsd' ? jensenShannonCategorical(c[0], c[1]) : psiCategorical(c[0], c[1]) };
      const v = views();
      if (!v) return undefined;
      return { method, value: method === 'jsd' ? jensenShannonNumeric(v[0], v[1]) : psiNumeric(v[0], v[1]) };
    }
    case 'wasserstein': {
      const v = views();
      return v && { method, value: normalizedWasserstein(v[0], v[1]) };
    }
    case 'ks': {
      const v = views();
      if (!v) return undefined;
      const r = ksTest(v[0], v[1]);
      return { method, value: r.statistic, pValue: r.pValue };
    }
  }
}

function lowCardinality(s: Sides): readonly [CategoryCounts, CategoryCounts] | undefined {
  if (!s.cur.numeric || !s.ref.numeric) return undefined;
  return [countsFromView(s.viewOf(s.cur.numeric)), countsFromView(s.viewOf(s.ref.numeric))];
}

/**
 * Evidently's rule: small samples (both sides ≤ 1000 rows) get a p-value test: KS for numeric
 * columns with more than 5 distinct values, chi-square otherwise (categorical, binary, few values).
 * Large samples get distances, because every p-value is tiny there: Wasserstein/std for numeric,
 * Jensen-Shannon for categorical.
 */
function autoMethod(s: Sides, rows: number): ComparatorMethod {
  const numeric = s.kind === 'numeric' && s.cur.numeric !== undefined && s.ref.numeric !== undefined;
  const manyValues = numeric && normalizedPoints(s.viewOf(s.ref.numeric!)).length > AUTO_MIN_DISTINCT_FOR_KS;
  if (rows > AUTO_MAX_ROWS_FOR_TESTS) return manyValues ? 'wasserstein' : 'jsd';
  return manyValues ? 'ks' : 'chi2';
}

export interface Comparison {
  results: ComparatorResult[];
  /** Fired comparators as anomalies, keyed by feature. */
  findings: { feature: string; finding: Finding }[];
}

/**
 * Compares `current` with `reference` (drift: the previous span; skew: serving data) on every
 * feature that has thresholds. Every measured value is reported, fired or not.
 */
export function compareDatasets(
  kind: 'drift' | 'skew',
  current: DatasetStatistics,
  reference: DatasetStatistics,
  schema: DataSchema,
  thresholds: Record<string, ComparatorThresholds>,
  viewOf: ViewOf,
): Comparison {
  const results: ComparatorResult[] = [];
  const findings: Comparison['findings'] = [];
  const rows = Math.max(current.numExamples, reference.numExamples);
  for (const name of Object.keys(thresholds).sort()) {
    const cur = current.features.find((f) => f.name === name);
    const ref = reference.features.find((f) => f.name === name);
    if (!cur || !ref || cur.numPresent === 0 || ref.numPresent === 0) continue;
    const sides: Sides = { cur, ref, kind: kindOf(schema.features[name], cur, ref), viewOf };
    const asked = thresholds[name];
    const plan: { method: ComparatorMethod; threshold: number; auto?: boolean }[] = [];
    for (const method of METHODS) {
      const threshold = asked[method];
      if (typeof threshold === 'number') plan.push({ method, threshold });
    }
    if (asked.auto) {
      const method = autoMethod(sides, rows);
      if (!plan.some((p) => p.method === method)) plan.push({ method, threshold: DEFAULT_THRESHOLDS[method as keyof typeof DEFAULT_THRESHOLDS], auto: true });
    }
    for (const p of plan) {
      const m = measure(p.method, sides);
      if (!m) continue;
      const fired = fires(p.method, m.value, p.threshold, m.pValue);
      results.push({
        feature: name,
        kind,
        method: p.method,
        value: m.value,
        ...(m.pValue !== undefined ? { pValue: m.pValue } : {}),
        threshold: p.threshold,
        fired,
        ...(p.auto ? { auto: true } : {}),
        ...(m.at !== undefined ? { at: m.at } : {}),
        current: current.name,
        reference: reference.name,
      });
      if (fired) findings.push({ feature: name, finding: comparatorFinding(kind, { ...m, threshold: p.threshold }) });
    }
  }
  return { results, findings };
}

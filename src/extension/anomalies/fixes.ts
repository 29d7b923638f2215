import type { ComparatorMethod, ComparatorResult, Anomaly, ValidationReport } from '../../core/validate/types';
import { formatMetric } from '../../core/util/format';

/**
 * The quick fixes that relax the schema so an anomaly stops firing. Pure: the panel and the
 * Problems view's code actions both ask here, so one implementation serves both.
 */
export type SchemaFix =
  | { kind: 'allowValues'; feature: string; values: string[] }
  | { kind: 'markOptional'; feature: string }
  | { kind: 'excludeFromEnvironment'; feature: string; environment: string }
  | { kind: 'widenRange'; feature: string; bound: 'min' | 'max'; value: number }
  | { kind: 'allowNan'; feature: string }
  | { kind: 'setUnique'; feature: string; bound: 'min' | 'max'; value: number }
  | { kind: 'raiseThreshold'; feature: string; comparator: 'drift' | 'skew'; method: ComparatorMethod; observed: number; value: number }
  | { kind: 'setNumExamples'; bound: 'min' | 'max'; value: number };

/** One change to the schema document: set a value, or append to an array (creating it if missing). */
export type SchemaOperation =
  { op: 'set'; path: string[]; value: unknown; keepIf?: (current: unknown) => boolean } | { op: 'append'; path: string[]; values: unknown[] };

/**
 * The margin added to an observed comparator value: +10 %, rounded up to two significant digits,
 * so the threshold reads like one a person would write (0.137 → 0.16) and the same data no longer
 * fires. For the p-value tests (ks, chi2), which fire when p ≤ threshold, the threshold goes the
 * other way: 10 % below the observed p, rounded down.
 */
export const THRESHOLD_MARGIN = 0.1;
const P_VALUE_METHODS: readonly ComparatorMethod[] = ['ks', 'chi2'];

export function relaxedThreshold(method: ComparatorMethod, observed: number): number | undefined {
  if (!Number.isFinite(observed)) return undefined;
  if (P_VALUE_METHODS.includes(method)) {
    if (observed <= 0) return undefined;
    return roundSignificant(observed * (1 - THRESHOLD_MARGIN), 2, Math.floor);
  }
  if (observed <= 0) return undefined;
  return roundSignificant(observed * (1 + THRESHOLD_MARGIN), 2, Math.ceil);
}

function roundSignificant(x: number, digits: number, round: (n: number) => number): number {
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  // toPrecision strips the float noise that the scaling leaves (0.16000000000000003).
  return Number((round(x * scale) / scale).toPrecision(15));
}

const COMPARATOR_METHOD: Partial<Record<Anomaly['type'], ComparatorMethod>> = {
  COMPARATOR_L_INFTY_HIGH: 'linf',
  COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH: 'jsd',
  COMPARATOR_PSI_HIGH: 'psi',
  COMPARATOR_WASSERSTEIN_HIGH: 'wasserstein',
  COMPARATOR_KS_TEST: 'ks',
  COMPARATOR_CHI_SQUARED_TEST: 'chi2',
};

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const firstNum = (d: Record<string, unknown>, ...keys: string[]) => keys.map((k) => num(d[k])).find((v) => v !== undefined);

/** The fixes for one anomaly of a report; empty when nothing in the schema would silence it. */
export function fixesFor(anomaly: Anomaly, report: Pick<ValidationReport, 'environment' | 'drift' | 'skew'>): SchemaFix[] {
  const d = anomaly.details ?? {};
  const f = anomaly.feature;
  if (f === null) {
    const count = firstNum(d, 'observedNumExamples', 'numExamples', 'count');
    if (count === undefined) return [];
    if (anomaly.type === 'DATASET_LOW_NUM_EXAMPLES') return [{ kind: 'setNumExamples', bound: 'min', value: count }];
    if (anomaly.type === 'DATASET_HIGH_NUM_EXAMPLES') return [{ kind: 'setNumExamples', bound: 'max', value: count }];
    return [];
  }
  switch (anomaly.type) {
    case 'ENUM_TYPE_UNEXPECTED_STRING_VALUES': {
      const values = Array.isArray(d.unexpectedValues) ? d.unexpectedValues.filter((v): v is string => typeof v === 'string') : [];
      return values.length ? [{ kind: 'allowValues', feature: f, values }] : [];
    }
    case 'FEATURE_TYPE_LOW_FRACTION_PRESENT':
    case 'FEATURE_TYPE_LOW_NUMBER_PRESENT':
      return [{ kind: 'markOptional', feature: f }];
    case 'SCHEMA_MISSING_COLUMN': {
      const fixes: SchemaFix[] = [{ kind: 'markOptional', feature: f }];
      if (report.environment) fixes.unshift({ kind: 'excludeFromEnvironment', feature: f, environment: report.environment });
      return fixes;
    }
    case 'INT_TYPE_BIG_INT':
    case 'FLOAT_TYPE_BIG_FLOAT': {
      const max = firstNum(d, 'observedMax', 'max');
      return max === undefined ? [] : [{ kind: 'widenRange', feature: f, bound: 'max', value: max }];
    }
    case 'INT_TYPE_SMALL_INT':
    case 'FLOAT_TYPE_SMALL_FLOAT': {
      const min = firstNum(d, 'observedMin', 'min');
      return min === undefined ? [] : [{ kind: 'widenRange', feature: f, bound: 'min', value: min }];
    }
    case 'FLOAT_TYPE_HAS_NAN':
      return [{ kind: 'allowNan', feature: f }];
    case 'FEATURE_TYPE_HIGH_UNIQUE':
    case 'FEATURE_TYPE_LOW_UNIQUE': {
      const unique = firstNum(d, 'observedUnique', 'unique');
      if (unique === undefined) return [];
      return [{ kind: 'setUnique', feature: f, bound: anomaly.type === 'FEATURE_TYPE_HIGH_UNIQUE' ? 'max' : 'min', value: unique }];
    }
    default: {
      const method = COMPARATOR_METHOD[anomaly.type];
      if (!method) return [];
      const result = comparatorOf(anomaly, method, report);
      if (!result) return [];
      const observed = P_VALUE_METHODS.includes(method) ? result.pValue : result.value;
      const value = observed === undefined ? undefined : relaxedThreshold(method, observed);
      if (observed === undefined || value === undefined) return [];
      return [{ kind: 'raiseThreshold', feature: f, comparator: result.kind, method, observed, value }];
    }
  }
}

/**
 * The comparator result behind a COMPARATOR_* anomaly: from its details when they say, otherwise
 * the fired result for the feature and method (drift and skew told apart by the dataset).
 */
function comparatorOf(
  anomaly: Anomaly,
  method: ComparatorMethod,
  report: Pick<ValidationReport, 'drift' | 'skew'>,
): Pick<ComparatorResult, 'kind' | 'value' | 'pValue'> | undefined {
  const d = anomaly.details ?? {};
  const kind = d.kind === 'drift' || d.kind === 'skew' ? d.kind : undefined;
  const candidates = [...report.drift, ...report.skew].filter((r) => r.feature === anomaly.feature && r.method === method && (!kind || r.kind === kind));
  const match = candidates.find((r) => r.fired && r.current === anomaly.dataset) ?? candidates.find((r) => r.fired) ?? candidates[0];
  const value = firstNum(d, 'observedValue', 'value');
  if (kind && value !== undefined) return { kind, value, pValue: num(d.pValue) ?? match?.pValue };
  return match;
}

/** The schema operations that carry out a fix. */
export function fixOperations(fix: SchemaFix): SchemaOperation[] {
  switch (fix.kind) {
    case 'allowValues':
      return [{ op: 'append', path: ['features', fix.feature, 'domain'], values: fix.values }];
    case 'markOptional':
      return [
        {
          op: 'set',
          path: ['features', fix.feature, 'presence'],
          value: { min_count: 1 },
          keepIf: (p) => isObj(p) && p.min_count === 1 && p.min_fraction === undefined,
        },
      ];
    case 'excludeFromEnvironment':
      return [{ op: 'append', path: ['features', fix.feature, 'not_in_environment'], values: [fix.environment] }];
    case 'widenRange':
      return [{ op: 'set', path: ['features', fix.feature, 'range', fix.bound], value: fix.value, keepIf: covers(fix.bound, fix.value) }];
    case 'allowNan':
      return [{ op: 'set', path: ['features', fix.feature, 'allow_nan'], value: true, keepIf: (v) => v === true }];
    case 'setUnique':
      return [{ op: 'set', path: ['features', fix.feature, 'unique', fix.bound], value: fix.value, keepIf: covers(fix.bound, fix.value) }];
    case 'raiseThreshold': {
      const pTest = P_VALUE_METHODS.includes(fix.method);
      return [
        {
          op: 'set',
          path: ['features', fix.feature, fix.comparator, fix.method],
          value: fix.value,
          // Already relaxed past the observed value: leave the user's number alone.
          keepIf: (v) => typeof v === 'number' && (pTest ? v < fix.observed : v >= fix.observed),
        },
      ];
    }
    case 'setNumExamples':
      return [{ op: 'set', path: ['num_examples', fix.bound], value: fix.value, keepIf: covers(fix.bound, fix.value) }];
  }
}

/** A bound that already lets `value` through is kept. */
function covers(bound: 'min' | 'max', value: number): (current: unknown) => boolean {
  return (c) => typeof c === 'number' && (bound === 'max' ? c >= value : c <= value);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const quote = (s: string) => `'${s}'`;
function list(values: readonly string[], max = 3): string {
  const shown = values.slice(0, max).map(quote).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}

/** The title the user reads in the Quick Fix menu and on the panel's button. */
export function fixTitle(fix: SchemaFix): string {
  switch (fix.kind) {
    case 'allowValues':
      return `Allow ${list(fix.values)} in ${fix.feature}'s domain`;
    case 'markOptional':
      return `Mark ${fix.feature} optional (presence: min_count 1)`;
    case 'excludeFromEnvironment':
      return `Expect ${fix.feature} to be absent in ${fix.environment} (not_in_environment)`;
    case 'widenRange':
      return `Widen ${fix.feature}'s range: ${fix.bound} ${formatMetric(fix.value)}`;
    case 'allowNan':
      return `Allow NaN in ${fix.feature}`;
    case 'setUnique':
      return `Set ${fix.feature}'s unique ${fix.bound} to ${fix.value}`;
    case 'raiseThreshold':
      return P_VALUE_METHODS.includes(fix.method)
        ? `Lower ${fix.feature}'s ${fix.comparator} ${fix.method} p-value threshold to ${formatMetric(fix.value)} (observed p ${formatMetric(fix.observed)} − 10%)`
        : `Raise ${fix.feature}'s ${fix.comparator} ${fix.method} threshold to ${formatMetric(fix.value)} (observed ${formatMetric(fix.observed)} + 10%)`;
    case 'setNumExamples':
      return `Set num_examples ${fix.bound} to ${fix.value}`;
  }
}

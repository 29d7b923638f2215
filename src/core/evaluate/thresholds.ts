import type { Located, ThresholdSpec } from '../pipeline/config';
import { UserError, type SourceLocation } from '../util/problems';
import { readableNumber } from './format';
import { FAIRNESS_METRICS, metricNamesFor } from './metricNames';
import type { Blessing, EvaluationTask, MetricValues, ThresholdCheck } from './report';
import { OVERALL } from './slicing';

/** A threshold with the slices (or sensitive entries, for a fairness metric) it applies to. */
export interface ResolvedThreshold {
  spec: ThresholdSpec;
  targets: string[];
  fairness: boolean;
}

export interface ThresholdContext {
  task: EvaluationTask;
  classes?: readonly string[];
  /** Overall first, then every slice. */
  slices: readonly { name: string; spec: string; count: number }[];
  minSliceSize: number;
  /** Names of the sensitive entries. */
  fairness: readonly string[];
}

/**
 * Checks every threshold against what this evaluation has, before anything is computed: a metric
 * the task lacks, a fairness metric without sensitive features, or a slice name that matches
 * nothing is the user's mistake, reported at the threshold.
 */
export function resolveThresholds(thresholds: readonly Located<ThresholdSpec>[], context: ThresholdContext): ResolvedThreshold[] {
  return thresholds.map(({ value: spec, location }) => {
    const fairness = (FAIRNESS_METRICS as readonly string[]).includes(spec.metric);
    if (fairness) return { spec, targets: fairnessTargets(spec.metric, context, location), fairness };
    const valid = metricNamesFor(context.task, context.classes);
    if (!valid.includes(spec.metric)) {
      const all = context.task === 'binary' ? [...valid, ...FAIRNESS_METRICS] : valid;
      throw UserError.at(`a ${context.task} model has no metric '${spec.metric}'`, location, `metrics you can set thresholds on: ${all.join(', ')}`);
    }
    return { spec, targets: sliceTargets(spec, context, location), fairness };
  });
}

function fairnessTargets(metric: string, context: ThresholdContext, location: SourceLocation): string[] {
  if (context.task !== 'binary') throw UserError.at(`'${metric}' is a fairness metric of binary classifiers; this model is ${context.task}`, location);
  if (context.fairness.length === 0) {
    throw UserError.at(`a threshold on '${metric}' needs sensitive features`, location, 'add fairness: { sensitive: [<feature>] } under evaluate');
  }
  return [...context.fairness];
}

function sliceTargets(spec: ThresholdSpec, context: ThresholdContext, location: SourceLocation): string[] {
  const measured = context.slices.filter((s, i) => i === 0 || s.count >= context.minSliceSize);
  if (spec.slices === 'overall') return [OVERALL];
  if (spec.slices === 'all') return measured.map((s) => s.name);
  const targets = new Set<string>();
  for (const name of spec.slices) {
    const exact = context.slices.find((s) => s.name === name);
    const ofSpec = measured.filter((s) => s.spec === name);
    if (!exact && !context.slices.some((s) => s.spec === name)) {
      const specs = [...new Set(context.slices.map((s) => s.spec))];
      throw UserError.at(
        `threshold on '${spec.metric}': no slice or slice spec named '${name}' in the evaluated rows`,
        location,
        `slice specs: ${specs.join(', ')}; slices look like ${
          context.slices
            .slice(1, 4)
            .map((s) => s.name)
            .join(', ') || OVERALL
        }`,
      );
    }
    for (const s of exact ? [exact] : ofSpec) targets.add(s.name);
  }
  return [...targets];
}

/** The metric values a check reads on one slice or sensitive entry. */
export interface CheckedValues {
  candidate: MetricValues;
  /** Absent when there is no baseline model. */
  baseline?: MetricValues;
  /** Why the candidate has no metrics here (a slice below the minimum size). */
  missing?: string;
}

/**
 * TFMA's blessing: value thresholds are inclusive bounds; change thresholds read candidate − baseline
 * in the threshold's direction and are skipped without a baseline; a metric that could not be
 * computed fails. Blessed when no check failed.
 */
export function bless(
  thresholds: readonly ResolvedThreshold[],
  values: { slices: ReadonlyMap<string, CheckedValues>; fairness: ReadonlyMap<string, CheckedValues> },
  baselineLabel?: string,
): Blessing {
  const checks: ThresholdCheck[] = [];
  for (const { spec, targets, fairness } of thresholds) {
    for (const target of targets) {
      const at = (fairness ? values.fairness : values.slices).get(target);
      if (!at) throw new Error(`no values for '${target}'`);
      if (spec.lower !== undefined || spec.upper !== undefined) checks.push(valueCheck(spec, target, at));
      if (spec.change && (spec.change.absolute !== undefined || spec.change.relative !== undefined)) checks.push(changeCheck(spec, spec.change, target, at));
    }
  }
  return { blessed: !checks.some((c) => c.outcome === 'failed'), ...(baselineLabel !== undefined && { baseline: baselineLabel }), checks };
}

function valueCheck({ metric, lower, upper }: ThresholdSpec, slice: string, at: CheckedValues): ThresholdCheck {
  const value = at.candidate[metric] ?? null;
  const base = { metric, slice, kind: 'value' as const, value, ...(lower !== undefined && { lower }), ...(upper !== undefined && { upper }) };
  if (value === null) return { ...base, outcome: 'failed', reason: at.missing ?? `${metric} could not be computed on these rows` };
  const v = readableNumber(value);
  if (lower !== undefined && value < lower) return { ...base, outcome: 'failed', reason: `${v} < ${readableNumber(lower)}` };
  if (upper !== undefined && value > upper) return { ...base, outcome: 'failed', reason: `${v} > ${readableNumber(upper)}` };
  const reason =
    lower !== undefined && upper !== undefined
      ? `${readableNumber(lower)} ≤ ${v} ≤ ${readableNumber(upper)}`
      : lower !== undefined
        ? `${v} ≥ ${readableNumber(lower)}`
        : `${v} ≤ ${readableNumber(upper!)}`;
  return { ...base, outcome: 'passed', reason };
}

/**
 * The relative change is read against |baseline|, so its sign is the change's own; a baseline of 0
 * makes any change infinitely large.
 */
function changeCheck(
  { metric }: ThresholdSpec,
  { absolute, relative, direction }: NonNullable<ThresholdSpec['change']>,
  slice: string,
  at: CheckedValues,
): ThresholdCheck {
  const value = at.candidate[metric] ?? null;
  const bounds = { direction, ...(absolute !== undefined && { absolute }), ...(relative !== undefined && { relative }) };
  const base = { metric, slice, kind: 'change' as const, value, ...bounds };
  if (!at.baseline) return { ...base, outcome: 'skipped', reason: 'no baseline: change threshold skipped' };
  const baseline = at.baseline[metric] ?? null;
  if (value === null)
    return { ...base, baseline, change: null, outcome: 'failed', reason: at.missing ?? `candidate ${metric} could not be computed on these rows` };
  if (baseline === null) return { ...base, baseline, change: null, outcome: 'failed', reason: `baseline ${metric} could not be computed on these rows` };
  const change = value - baseline;
  const share = baseline === 0 ? (change === 0 ? 0 : Math.sign(change) * Infinity) : change / Math.abs(baseline);
  const parts: { passed: boolean; text: string }[] = [];
  if (absolute !== undefined) parts.push(compare(change, absolute, direction, (x) => readableNumber(x, true)));
  if (relative !== undefined) parts.push(compare(share, relative, direction, (x) => `${readableNumber(100 * x, true)}%`));
  const passed = parts.every((p) => p.passed);
  const shown = parts.filter((p) => p.passed === passed).map((p) => p.text);
  return {
    ...base,
    baseline,
    change,
    outcome: passed ? 'passed' : 'failed',
    reason: `${shown.join(', ')} (candidate ${readableNumber(value)}, baseline ${readableNumber(baseline)})`,
  };
}

function compare(x: number, bound: number, direction: 'higher' | 'lower', show: (x: number) => string): { passed: boolean; text: string } {
  const passed = direction === 'higher' ? x >= bound : x <= bound;
  const op = direction === 'higher' ? (passed ? '≥' : '<') : passed ? '≤' : '>';
  return { passed, text: `${show(x)} ${op} ${show(bound)}` };
}

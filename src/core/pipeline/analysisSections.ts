import * as path from 'node:path';
import { defaultDirection, isKnownMetricName } from '../evaluate/metricNames';
import type { Problem } from '../util/problems';
import type { EvaluateConfig, Located, PipelineConfig, PushConfig, SliceSpec, ThresholdSpec } from './config';
import type { DocumentPositions } from './positions';

type RawValue = string | number | boolean;
type RawSlice =
  string | string[] | { features: string | string[]; values?: RawValue[] | Record<string, RawValue[]>; buckets?: number | Record<string, number> };

/** What `evaluate:` and `push:` look like once they passed the JSON schema. */
export interface RawEvaluate {
  split?: string;
  decision_threshold?: number;
  slices?: RawSlice[];
  min_slice_size?: number;
  confidence_intervals?: boolean | { samples?: number; level?: number };
  fairness?: { sensitive: (string | string[])[]; thresholds?: number[] };
  thresholds?: Record<string, RawThreshold>;
}

export interface RawThreshold {
  lower?: number;
  upper?: number;
  change?: { absolute?: number; relative?: number; direction?: 'higher' | 'lower' };
  slices?: 'overall' | 'all' | string[];
}

export interface RawPush {
  model?: string;
  destination?: string;
  alias?: string;
}

const DEFAULT_BOOTSTRAP = { samples: 100, confidence: 0.95 };
const FAIRNESS_INDICATOR_THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Problems the JSON schema cannot express in `evaluate:` (and `push:` without a model to push). */
export function evaluateProblems(raw: { evaluate?: RawEvaluate; push?: RawPush; train?: unknown }, positions: DocumentPositions): Problem[] {
  const problems: Problem[] = [];
  const section = raw.evaluate ? 'evaluate' : raw.push ? 'push' : undefined;
  if (section && raw.train === undefined) {
    problems.push({
      severity: 'error',
      location: positions.locate([section], { key: true }),
      message: `${section} needs a model: add a train section`,
      hint: 'train:\n  model: dnn',
    });
  }
  problems.push(...thresholdProblems(raw.evaluate?.thresholds, positions, ['evaluate', 'thresholds']));
  return problems;
}

/** Problems the JSON schema cannot express in metric bounds (`evaluate.thresholds`, `monitor.metrics`) at `section`. */
export function thresholdProblems(thresholds: Record<string, RawThreshold> | undefined, positions: DocumentPositions, section: string[]): Problem[] {
  const problems: Problem[] = [];
  for (const [metric, t] of Object.entries(thresholds ?? {})) {
    if (!t || typeof t !== 'object') continue;
    const at = (key?: string) => positions.locate(key ? [...section, metric, key] : [...section, metric], { key: true });
    if (!isKnownMetricName(metric)) {
      problems.push({
        severity: 'error',
        location: at(),
        message: `no metric named '${metric}'`,
        hint: 'binary: auc, auc_pr, accuracy, precision, recall, f1, log_loss, calibration, mean_label, mean_prediction, example_count; multiclass: accuracy, macro_f1, weighted_f1, log_loss, precision/<class>, recall/<class>; regression: mae, rmse, r2, mape; fairness: demographic_parity_difference, equalized_odds_difference, equal_opportunity_difference (and _ratio)',
      });
      continue;
    }
    if (t.lower === undefined && t.upper === undefined && t.change?.absolute === undefined && t.change?.relative === undefined) {
      problems.push({
        severity: 'error',
        location: at(),
        message: `threshold on '${metric}' has no bound`,
        hint: 'give lower, upper, or change: { absolute | relative }',
      });
    }
    if (t.lower !== undefined && t.upper !== undefined && t.lower > t.upper) {
      problems.push({
        severity: 'error',
        location: at('lower'),
        message: `threshold on '${metric}': lower ${t.lower} is above upper ${t.upper}, so nothing can pass`,
      });
    }
    if (t.change && t.change.direction === undefined && defaultDirection(metric) === undefined) {
      problems.push({
        severity: 'error',
        location: at('change'),
        message: `'${metric}' is neither higher- nor lower-is-better: a change threshold on it needs a direction`,
        hint: 'add direction: higher (or lower) under change',
      });
    }
  }
  return problems;
}

/** What `evaluate: {}` means: Overall only, bootstrap intervals, no thresholds (so blessed). */
export function defaultEvaluateConfig(location: EvaluateConfig['location']): EvaluateConfig {
  return { split: 'eval', decisionThreshold: 0.5, slices: [], minSliceSize: 1, bootstrap: DEFAULT_BOOTSTRAP, thresholds: [], location };
}

export function normalizeEvaluate(raw: RawEvaluate, positions: DocumentPositions, location: EvaluateConfig['location']): EvaluateConfig {
  const ci = raw.confidence_intervals ?? true;
  return {
    split: raw.split ?? 'eval',
    decisionThreshold: raw.decision_threshold ?? 0.5,
    slices: (raw.slices ?? []).map((s, i) => ({ value: sliceSpec(s), location: positions.locate(['evaluate', 'slices', i]) })),
    minSliceSize: raw.min_slice_size ?? 1,
    bootstrap:
      ci === false
        ? undefined
        : ci === true
          ? DEFAULT_BOOTSTRAP
          : { samples: ci.samples ?? DEFAULT_BOOTSTRAP.samples, confidence: ci.level ?? DEFAULT_BOOTSTRAP.confidence },
    fairness: raw.fairness
      ? {
          sensitive: raw.fairness.sensitive.map((s, i) => ({
            value: typeof s === 'string' ? [s] : s,
            location: positions.locate(['evaluate', 'fairness', 'sensitive', i]),
          })),
          thresholds: raw.fairness.thresholds ?? FAIRNESS_INDICATOR_THRESHOLDS,
          location: positions.locate(['evaluate', 'fairness'], { key: true }),
        }
      : undefined,
    thresholds: normalizeThresholds(raw.thresholds, positions, ['evaluate', 'thresholds']),
    location,
  };
}

/** Metric bounds as written at `section` (`evaluate.thresholds`, `monitor.metrics`), each with its location. */
export function normalizeThresholds(
  thresholds: Record<string, RawThreshold> | undefined,
  positions: DocumentPositions,
  section: string[],
): Located<ThresholdSpec>[] {
  return Object.entries(thresholds ?? {}).map(([metric, t]) => ({
    value: {
      metric,
      slices: t.slices ?? 'overall',
      lower: t.lower,
      upper: t.upper,
      change: t.change
        ? { absolute: t.change.absolute, relative: t.change.relative, direction: t.change.direction ?? defaultDirection(metric) ?? 'higher' }
        : undefined,
    },
    location: positions.locate([...section, metric], { key: true }),
  }));
}

function sliceSpec(raw: RawSlice): SliceSpec {
  if (typeof raw === 'string') return { features: [raw] };
  if (Array.isArray(raw)) return { features: raw };
  const features = typeof raw.features === 'string' ? [raw.features] : raw.features;
  const only = features.length === 1 ? features[0] : undefined;
  const values =
    raw.values === undefined
      ? undefined
      : Array.isArray(raw.values)
        ? only !== undefined
          ? { [only]: raw.values.map(String) }
          : undefined
        : Object.fromEntries(Object.entries(raw.values).map(([f, v]) => [f, v.map(String)]));
  const buckets =
    raw.buckets === undefined ? undefined : typeof raw.buckets === 'number' ? (only !== undefined ? { [only]: raw.buckets } : undefined) : raw.buckets;
  return { features, ...(values && { values }), ...(buckets && { buckets }) };
}

/** Slice objects whose `values`/`buckets` name a feature the slice does not have, or are ambiguous. */
export function sliceProblems(raw: RawEvaluate | undefined, positions: DocumentPositions): Problem[] {
  const problems: Problem[] = [];
  (raw?.slices ?? []).forEach((s, i) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return;
    const features = typeof s.features === 'string' ? [s.features] : s.features;
    for (const key of ['values', 'buckets'] as const) {
      const v = s[key];
      if (v === undefined) continue;
      const location = positions.locate(['evaluate', 'slices', i, key], { key: true });
      const single = key === 'values' ? Array.isArray(v) : typeof v === 'number';
      if (single && features.length > 1) {
        problems.push({
          severity: 'error',
          location,
          message: `this slice crosses ${features.join(', ')}: say which feature \`${key}\` is for`,
          hint: `${key}: { ${features[0]}: ... }`,
        });
      } else if (!single) {
        for (const f of Object.keys(v as object)) {
          if (!features.includes(f))
            problems.push({ severity: 'error', location, message: `\`${key}\` names '${f}', which is not a feature of this slice (${features.join(', ')})` });
        }
      }
    }
  });
  return problems;
}

/** `dir`: the pipeline file's folder, against which a relative destination resolves. */
export function normalizePush(raw: RawPush, pipelineName: string, dir: string, positions: DocumentPositions): PushConfig {
  return {
    model: raw.model ?? pipelineName,
    destination: raw.destination === undefined ? undefined : path.resolve(dir, raw.destination),
    alias: raw.alias ?? 'production',
    location: positions.locate(['push'], { key: true }),
  };
}

/** The registry model a pipeline pushes to (and takes its baseline from): `push.model`, else its name. */
export function registryModelName(config: Pick<PipelineConfig, 'name' | 'push'>): string {
  return config.push?.model ?? config.name;
}

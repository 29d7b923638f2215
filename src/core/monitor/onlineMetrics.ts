import type { MissingTest } from '../data/cells';
import { modelAnalysis } from '../evaluate/modelAnalysis';
import type { EvaluationTask, MetricValues, ThresholdCheck } from '../evaluate/report';
import { OVERALL } from '../evaluate/slicing';
import { bless, resolveThresholds, type ResolvedThreshold } from '../evaluate/thresholds';
import type { EvaluationData } from '../evaluate/types';
import type { Located, ThresholdSpec } from '../pipeline/config';
import type { ServedRecord } from '../serve/log';
import { encodeLabel } from '../transform/label';
import { rawValue } from '../transform/row';
import type { LabelEncoding } from '../transform/types';
import type { LabelValue } from './labels';

/** What the served version's package and offline evaluation say about reading its labels and scores. */
export interface ModelFacts {
  task: EvaluationTask;
  /** Classifiers: class names in output order (binary: [negative, positive]). */
  classes?: string[];
  /** The label encoding the model was trained with (the transform's), which parses raw labels as ingest did. */
  label: LabelEncoding;
  isMissing: MissingTest;
  /** Binary: the offline evaluation's decision threshold, so online and offline accuracy mean the same. */
  decisionThreshold: number;
}

export interface OnlineMetrics {
  /** Served rows whose label is known and is one the model can be scored against. */
  labelled: number;
  /** Labels that are not a value of the label column, or a class the model does not know. */
  unusable: number;
  metrics: MetricValues;
}

/**
 * The evaluation's metric functions on the served rows that have ground truth. A served multiclass
 * row carries only its top class and that class's probability, so the other classes share the rest
 * equally: accuracy, F1, precision and recall are exact, log loss is not and is left out.
 */
export function onlineMetrics(records: readonly ServedRecord[], labelOf: (id: string) => LabelValue | undefined, facts: ModelFacts): OnlineMetrics {
  const labels: number[] = [];
  const scored: ServedRecord[] = [];
  let unusable = 0;
  for (const record of records) {
    const raw = labelOf(record.id);
    if (raw === undefined) continue;
    const encoded = encodedLabel(facts, raw);
    // A multiclass row is scored through its predicted class, which must be one the model has.
    const readable = facts.task !== 'multiclass' || (facts.classes ?? []).includes(record.label ?? '');
    if (Number.isNaN(encoded) || !readable) unusable++;
    else {
      labels.push(encoded);
      scored.push(record);
    }
  }
  if (scored.length === 0) return { labelled: 0, unusable, metrics: {} };
  const scores = Float64Array.from(scored, (r) => r.score);
  const probabilities = facts.task === 'multiclass' ? spreadProbabilities(scored, facts.classes ?? []) : undefined;
  const data: EvaluationData = {
    task: facts.task,
    classes: facts.classes,
    labels: Float64Array.from(labels),
    candidate: { scores, probabilities },
    features: new Map(),
  };
  const rows = Int32Array.from(scored, (_, i) => i);
  const metrics = modelAnalysis(data, data.candidate, facts.decisionThreshold)(rows).metrics();
  if (facts.task === 'multiclass') metrics.log_loss = null;
  return { labelled: scored.length, unusable, metrics };
}

function encodedLabel(facts: ModelFacts, raw: LabelValue): number {
  try {
    return encodeLabel(facts.label, rawValue(facts.label.column, facts.label.type, raw, facts.isMissing));
  } catch {
    return NaN;
  }
}

function spreadProbabilities(records: readonly ServedRecord[], classes: readonly string[]): Float64Array {
  const k = classes.length;
  const out = new Float64Array(records.length * k);
  records.forEach((r, i) => {
    const top = classes.indexOf(r.label!);
    out.fill((1 - r.score) / (k - 1), i * k, (i + 1) * k);
    out[i * k + top] = r.score;
  });
  return out;
}

/** The configured bounds checked against what this task has, reported at the bound in the pipeline file. */
export function metricBounds(specs: readonly Located<ThresholdSpec>[], task: EvaluationTask, classes?: readonly string[]): ResolvedThreshold[] {
  return resolveThresholds(specs, { task, classes, slices: [{ name: OVERALL, spec: OVERALL, count: 1 }], minSliceSize: 1, fairness: [] });
}

/** Online values against the bounds; `change` bounds against the offline evaluation (skipped without one). */
export function metricChecks(bounds: readonly ResolvedThreshold[], online: MetricValues, offline: MetricValues | undefined): ThresholdCheck[] {
  const slices = new Map([[OVERALL, { candidate: online, ...(offline && { baseline: offline }) }]]);
  return bless(bounds, { slices, fairness: new Map() }).checks;
}

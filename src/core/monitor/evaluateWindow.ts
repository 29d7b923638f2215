import { missingTest, type MissingTest, type Value } from '../data/cells';
import type { ServedRecord } from '../serve/log';
import type { FeaturePlan } from '../stats/datasets';
import { rawValue } from '../transform/row';
import { isUserError } from '../util/problems';
import { featureDrift, predictionDrift, predictionFeatures, servedPredictions } from './drift';
import type { LabelValue } from './labels';
import { metricChecks, onlineMetrics } from './onlineMetrics';
import type { VersionReference } from './reference';
import { rowStatistics } from './rowStatistics';
import type { ServedWindow } from './windows';
import type { LatencySummary, WindowReport } from './types';
import { percentile } from '../util/percentile';

/**
 * One window against its version's reference: feature drift, prediction drift and online metrics,
 * each checked only with at least `minRows` rows (labelled rows for the metrics). Pure: the same
 * window, reference and labels give the same report.
 */
export function evaluateWindow(
  window: ServedWindow,
  reference: VersionReference,
  labelOf: (id: string) => LabelValue | undefined,
  minRows: number,
): WindowReport {
  const { info, records } = window;
  const notes = [...reference.notes];
  const enough = records.length >= minRows;
  if (!enough) notes.push(`${records.length} rows, fewer than min_rows ${minRows}: drift is not checked`);

  const invalid: Record<string, number> = {};
  const isMissing = reference.facts?.isMissing ?? missingTest([]);
  const rows = records.map((r) => typedInputs(r, reference.features, isMissing, invalid));
  const drift =
    enough && reference.training
      ? featureDrift(rowStatistics({ name: info.key, split: 'serving' }, rows, reference.features), reference.training, reference.schema, reference.thresholds)
      : [];

  const task = reference.facts?.task;
  const predictionStats = task && rowStatistics({ name: `${info.key} predictions`, split: 'serving' }, servedPredictions(records), predictionFeatures(task));
  const predictions =
    enough && reference.predictions && predictionStats ? predictionDrift(predictionStats, reference.predictions, reference.predictionThresholds) : [];

  let metrics: WindowReport['metrics'];
  let labelled = 0;
  if (reference.facts) {
    const online = onlineMetrics(records, labelOf, reference.facts);
    labelled = online.labelled;
    if (online.unusable) notes.push(`${online.unusable} labels are not a value the model was trained on: left out`);
    if (online.labelled > 0) {
      const checked = online.labelled >= minRows;
      if (!checked && reference.bounds.length) notes.push(`${online.labelled} labelled rows, fewer than min_rows ${minRows}: metrics are not checked`);
      metrics = {
        task: reference.facts.task,
        online: online.metrics,
        ...(reference.offline && { offline: reference.offline }),
        checks: checked ? metricChecks(reference.bounds, online.metrics, reference.offline) : [],
      };
    }
  }
  return { window: info, labelled, latency: latencyOf(records), drift, predictionDrift: predictions, ...(metrics && { metrics }), invalid, notes };
}

/** A served row's raw inputs as the training data's types; a value the type cannot hold counts as missing and is counted. */
function typedInputs(record: ServedRecord, features: readonly FeaturePlan[], isMissing: MissingTest, invalid: Record<string, number>): Record<string, Value> {
  const row: Record<string, Value> = {};
  for (const f of features) {
    try {
      row[f.name] = rawValue(f.name, f.type, record.inputs[f.name], isMissing);
    } catch (e) {
      if (!isUserError(e)) throw e;
      row[f.name] = null;
      invalid[f.name] = (invalid[f.name] ?? 0) + 1;
    }
  }
  return row;
}

function latencyOf(records: readonly ServedRecord[]): LatencySummary | null {
  if (!records.length) return null;
  const sorted = records.map((r) => r.latencyMs).sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

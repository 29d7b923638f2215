import { bootstrapIntervals, significantlyWorse } from './bootstrap';
import { fairnessEntries, fairnessMetricValues, fairnessReport } from './fairness';
import { modelAnalysis, type RowsView } from './modelAnalysis';
import { EVALUATION_FORMAT, EVALUATION_VERSION, type EvaluationReport, type MetricValues, type SliceResult } from './report';
import { slicesFor, overallSlice, type Slice } from './slicing';
import { bless, resolveThresholds, type CheckedValues } from './thresholds';
import type { Evaluate } from './types';

interface Measured {
  slice: Slice;
  /** Undefined below the minimum slice size (Overall is always measured). */
  view?: RowsView;
  metrics: MetricValues;
  baseline?: MetricValues;
}

/**
 * The whole evaluation of a candidate (and its baseline) on labelled rows, TFMA- and
 * Fairlearn-style. Every user mistake (a feature the data lacks, a threshold on a metric the task
 * does not have, a slice name that matches nothing) is found before any metric is computed.
 */
export const evaluateModel: Evaluate = ({ data, settings, candidate, baseline, source, seed }) => {
  const rowCount = data.labels.length;
  const slices = [overallSlice(rowCount), ...slicesFor(settings.slices, data.features, rowCount)];
  const entries = settings.fairness ? fairnessEntries(settings.fairness, data.features, rowCount) : [];
  const thresholds = resolveThresholds(settings.thresholds, {
    task: data.task,
    classes: data.classes,
    slices: slices.map((s) => ({ name: s.name, spec: s.spec, count: s.rows.length })),
    minSliceSize: settings.minSliceSize,
    fairness: entries.map((e) => e.name),
  });

  const analyseCandidate = modelAnalysis(data, data.candidate, settings.decisionThreshold);
  const analyseBaseline = data.baseline && modelAnalysis(data, data.baseline, settings.decisionThreshold);
  const measured = slices.map((slice, i): Measured => {
    if (i > 0 && slice.rows.length < settings.minSliceSize) return { slice, metrics: {} };
    const view = analyseCandidate(slice.rows);
    return { slice, view, metrics: view.metrics(), ...(analyseBaseline && { baseline: analyseBaseline(slice.rows).metrics() }) };
  });
  const withMetrics = measured.filter((m) => m.view);
  const bootstrap = settings.bootstrap && { ...settings.bootstrap, seed };
  const intervals =
    bootstrap &&
    bootstrapIntervals(
      withMetrics.map((m) => (weights) => m.view!.metrics(weights)),
      rowCount,
      bootstrap,
    );
  const intervalsOf = new Map(intervals?.map((iv, i) => [withMetrics[i], iv]));

  const overall = measured[0];
  const results = measured.map((m, i): SliceResult => ({
    name: m.slice.name,
    spec: m.slice.spec,
    features: m.slice.features,
    count: m.slice.rows.length,
    metrics: m.metrics,
    ...(intervalsOf.has(m) && { intervals: intervalsOf.get(m) }),
    ...(m.baseline && { baseline: m.baseline }),
    worse: i > 0 && intervalsOf.has(m) ? significantlyWorse(intervalsOf.get(m)!, overall.metrics) : [],
    belowMinSize: !m.view,
    ...(m.view && { plots: m.view.plots() }),
  }));

  const fairness = entries.map((entry) => fairnessReport(entry, analyseCandidate, settings.decisionThreshold, settings.fairness?.thresholds ?? []));
  const checked = (m: Measured): CheckedValues => ({
    candidate: m.metrics,
    ...(analyseBaseline && { baseline: m.baseline ?? {} }),
    ...(!m.view && { missing: `the slice has ${m.slice.rows.length} rows, below min_slice_size ${settings.minSliceSize}` }),
  });
  const blessing = bless(
    thresholds,
    {
      slices: new Map(measured.map((m) => [m.slice.name, checked(m)])),
      fairness: new Map(
        entries.map((entry, i) => [
          entry.name,
          {
            candidate: fairnessMetricValues(fairness[i]),
            ...(analyseBaseline && { baseline: fairnessMetricValues(fairnessReport(entry, analyseBaseline, settings.decisionThreshold, [])) }),
          },
        ]),
      ),
    },
    data.baseline ? (baseline?.label ?? 'baseline') : undefined,
  );

  return {
    format: EVALUATION_FORMAT,
    version: EVALUATION_VERSION,
    task: data.task,
    ...(data.classes && { classes: data.classes }),
    decisionThreshold: settings.decisionThreshold,
    data: { source: source.description, rows: rowCount, skippedRows: source.skippedRows },
    candidate,
    ...(baseline && { baseline }),
    minSliceSize: settings.minSliceSize,
    ...(bootstrap && { bootstrap }),
    overall: results[0],
    slices: results.slice(1),
    fairness,
    blessing,
  } satisfies EvaluationReport;
};

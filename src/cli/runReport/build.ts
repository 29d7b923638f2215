import { defaultDirection } from '../../core/evaluate/metricNames';
import type { EvaluationReport, FairnessReport, MetricValues, SliceResult } from '../../core/evaluate/report';
import type { ModelVersionRecord } from '../../core/registry';
import type { RunDetails } from '../../core/store/types';
import type { ComparatorResult, ValidationReport } from '../../core/validate/types';
import {
  RUN_REPORT_FORMAT,
  RUN_REPORT_VERSION,
  type EvaluationSection,
  type MetricComparison,
  type RunReport,
  type ValidationSection,
  type Verdict,
} from './types';

/** A pull request comment is read, not scrolled: the worst few of each kind, with the totals. */
export const TOP_ANOMALIES = 10;
export const TOP_COMPARISONS = 10;
export const TOP_SLICES = 10;

/** What the report is made of; collect.ts reads it from the store and the artifacts. */
export interface ReportInputs {
  details: RunDetails;
  validation: ValidationReport | undefined;
  evaluation: EvaluationReport | undefined;
  /** The version compared with, and its own evaluation when readable. */
  against: { ref: string; version: ModelVersionRecord; evaluation: EvaluationReport | undefined } | undefined;
  notes: string[];
}

export function buildRunReport(input: ReportInputs): RunReport {
  const { run, executions } = input.details;
  return {
    format: RUN_REPORT_FORMAT,
    version: RUN_REPORT_VERSION,
    run: {
      id: run.id,
      pipeline: run.pipelineName,
      status: run.status,
      file: run.pipelineFile,
      gitCommit: run.gitCommit,
      gitDirty: run.gitDirty,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      error: run.error,
    },
    components: executions.map((e) => ({ name: e.component, status: e.status })),
    validation: input.validation ? validationSection(input.validation) : null,
    evaluation: input.evaluation ? evaluationSection(input.evaluation, input.against) : null,
    charts: [],
    notes: input.notes,
  };
}

function validationSection(report: ValidationReport): ValidationSection {
  const errors = report.anomalies.filter((a) => a.severity === 'error').length;
  const warnings = report.anomalies.length - errors;
  const comparators = [...report.drift, ...report.skew];
  const severity = (s: string) => (s === 'error' ? 0 : 1);
  return {
    verdict: errors ? 'failed' : warnings ? 'warnings' : 'passed',
    errors,
    warnings,
    anomalies: [...report.anomalies]
      .sort((a, b) => severity(a.severity) - severity(b.severity))
      .slice(0, TOP_ANOMALIES)
      .map((a) => ({ feature: a.feature, dataset: a.dataset, severity: a.severity, type: a.type, summary: a.shortDescription, description: a.description })),
    comparisons: [...comparators]
      .sort((a, b) => Number(b.fired) - Number(a.fired) || exceedance(b) - exceedance(a))
      .slice(0, TOP_COMPARISONS)
      .map((c) => ({
        feature: c.feature,
        kind: c.kind,
        method: c.method,
        value: c.value,
        threshold: c.threshold ?? null,
        pValue: c.pValue ?? null,
        fired: c.fired,
        current: c.current,
        reference: c.reference,
      })),
    comparisonsTotal: comparators.length,
    comparisonsFired: comparators.filter((c) => c.fired).length,
  };
}

/** How far past its threshold a comparison is (a p-value fires low, a distance high); 0 without one. */
function exceedance(c: ComparatorResult): number {
  if (c.threshold === undefined || c.threshold <= 0) return 0;
  return c.pValue !== undefined ? c.threshold / Math.max(c.pValue, Number.EPSILON) : c.value / c.threshold;
}

function evaluationSection(report: EvaluationReport, against: ReportInputs['against']): EvaluationSection {
  // The evaluation scored the compared version on the same rows when it was its baseline: that
  // comparison is exact. Otherwise the version's own evaluation (other rows, maybe other data).
  const sameRows = !!against && report.baseline?.weightsHash === against.version.weightsHash;
  const other = against?.evaluation;
  const overallProduction: MetricValues | undefined = sameRows ? report.overall.baseline : (other?.overall.metrics ?? against?.version.metrics);
  const metrics = Object.keys(report.overall.metrics).map((m) => compare(m, report.overall.metrics[m], against ? overallProduction?.[m] : undefined));
  const slices = sliceRegressions(report, sameRows ? undefined : other);
  const fairness = report.fairness.flatMap((f) =>
    fairnessComparisons(
      f,
      other?.fairness.find((o) => o.name === f.name),
    ),
  );
  return {
    candidate: report.candidate.label,
    data: { source: report.data.source, rows: report.data.rows },
    task: report.task,
    against: against
      ? {
          ref: against.ref,
          label: `${against.version.model}@${against.version.version}`,
          model: against.version.model,
          version: against.version.version,
          basis: sameRows ? 'same-rows' : 'own-evaluation',
          data: sameRows ? report.data.source : (other?.data.source ?? null),
        }
      : null,
    metrics,
    blessing: {
      blessed: report.blessing.blessed,
      checks: report.blessing.checks.map((c) => ({ metric: c.metric, slice: c.slice, kind: c.kind, outcome: c.outcome, reason: c.reason })),
    },
    slices,
    fairness,
    regressions:
      metrics.filter((m) => m.verdict === 'worse').length +
      slices.filter((s) => s.change !== null).length +
      fairness.filter((f) => f.verdict === 'worse').length,
  };
}

export function compare(metric: string, value: number | null | undefined, production: number | null | undefined): MetricComparison {
  const better = defaultDirection(metric) ?? null;
  const v = value ?? null;
  const p = production ?? null;
  const change = v !== null && p !== null ? v - p : null;
  return { metric, value: v, production: p, change, better, verdict: change === null ? null : verdictOf(change, better) };
}

/** Floating-point noise is no change; any other worse change is a regression the reader should see. */
function verdictOf(change: number, better: 'higher' | 'lower' | null): Verdict {
  if (Math.abs(change) < 1e-9) return 'same';
  if (better === null) return 'changed';
  return change > 0 === (better === 'higher') ? 'better' : 'worse';
}

/** The metric a slice table shows: the first of these the task has. */
export function headlineMetric(report: EvaluationReport): string {
  return ['auc', 'accuracy', 'rmse', 'mae'].find((m) => m in report.overall.metrics) ?? Object.keys(report.overall.metrics)[0];
}

/**
 * Slices worse than production on the headline metric (same slice, same rows when the evaluation
 * had the version as baseline, else the version's own slice of that name) and slices the
 * evaluation found significantly worse than Overall; worst change first.
 */
function sliceRegressions(report: EvaluationReport, other: EvaluationReport | undefined): EvaluationSection['slices'] {
  const metric = headlineMetric(report);
  const production = (s: SliceResult) => (other ? other.slices.find((o) => o.name === s.name)?.metrics[metric] : s.baseline?.[metric]);
  return report.slices
    .filter((s) => !s.belowMinSize)
    .map((s) => {
      const c = compare(metric, s.metrics[metric], production(s));
      return {
        slice: s.name,
        count: s.count,
        metric,
        value: c.value,
        production: c.production,
        change: c.verdict === 'worse' ? c.change : null,
        worseThanOverall: s.worse,
      };
    })
    .filter((s) => s.change !== null || s.worseThanOverall.length > 0)
    .sort((a, b) => badness(b.change, metric) - badness(a.change, metric) || b.worseThanOverall.length - a.worseThanOverall.length)
    .slice(0, TOP_SLICES);
}

const badness = (change: number | null, metric: string) => (change === null ? 0 : defaultDirection(metric) === 'lower' ? change : -change);

/** The fairness summary measures (Fairlearn's), each against production's for the same sensitive feature. */
function fairnessComparisons(f: FairnessReport, other: FairnessReport | undefined): EvaluationSection['fairness'] {
  const measures: [string, (r: FairnessReport) => number | null | undefined][] = [
    ['demographic_parity_difference', (r) => r.demographicParity?.difference],
    ['equalized_odds_difference', (r) => r.equalizedOdds?.difference],
    ['equal_opportunity_difference', (r) => r.equalOpportunity?.difference],
  ];
  return measures.filter(([, read]) => read(f) !== undefined).map(([metric, read]) => ({ feature: f.name, ...compare(metric, read(f), other && read(other)) }));
}

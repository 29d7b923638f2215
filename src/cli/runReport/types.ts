/**
 * `mlops report --format json`: the stable shape a CI script reads (documented in README, "mlops
 * report"). Version 1; fields are only ever added. Numbers are as stored (never rounded), `null`
 * where there is nothing to show.
 */

export const RUN_REPORT_FORMAT = 'mlops-run-report';
export const RUN_REPORT_VERSION = 1;

export interface RunReport {
  format: typeof RUN_REPORT_FORMAT;
  version: typeof RUN_REPORT_VERSION;
  run: {
    id: number;
    pipeline: string;
    status: string;
    file: string;
    gitCommit: string | null;
    gitDirty: boolean | null;
    startedAt: number;
    endedAt: number | null;
    error: string | null;
  };
  components: { name: string; status: string }[];
  /** Null when the run has no validation output (no validate component, or it never ran). */
  validation: ValidationSection | null;
  /** Null when the run has no evaluation (no evaluate component, or the run stopped before it). */
  evaluation: EvaluationSection | null;
  /** Charts written beside the markdown (`--out`); empty otherwise. Paths relative to the report file. */
  charts: { name: string; title: string; file: string }[];
  /** What the report could not do, in words (an unreadable artifact, no production version). */
  notes: string[];
}

export interface ValidationSection {
  /** `failed`: an error anomaly; `warnings`: only warnings; `passed`: none. */
  verdict: 'passed' | 'warnings' | 'failed';
  errors: number;
  warnings: number;
  /** Errors first, then warnings; at most `TOP_ANOMALIES`. */
  anomalies: { feature: string | null; dataset: string; severity: 'error' | 'warning'; type: string; summary: string; description: string }[];
  /** Drift and skew comparisons: fired ones first, then by value / threshold; at most `TOP_COMPARISONS`. */
  comparisons: {
    feature: string;
    kind: 'drift' | 'skew';
    method: string;
    value: number;
    threshold: number | null;
    /** For ks and chi2 the threshold applies to this p-value. */
    pValue: number | null;
    fired: boolean;
    current: string;
    reference: string;
  }[];
  comparisonsTotal: number;
  comparisonsFired: number;
}

/** Which way a metric's change reads: `better`/`worse` for metrics with a better side, else `changed`/`same`. */
export type Verdict = 'better' | 'worse' | 'same' | 'changed';

export interface MetricComparison {
  metric: string;
  value: number | null;
  production: number | null;
  /** value − production; null when either is missing. */
  change: number | null;
  /** Which way the metric is better; null for counts and descriptive values. */
  better: 'higher' | 'lower' | null;
  verdict: Verdict | null;
}

export interface EvaluationSection {
  candidate: string;
  data: { source: string; rows: number };
  task: string;
  /** The version compared with; null when there is none (nothing in production yet, or the run's own model). */
  against: {
    /** As asked: `production`, `taxi@3`. */
    ref: string;
    label: string;
    model: string;
    version: number;
    /**
     * `same-rows`: the evaluation scored this version on the run's own eval rows (its baseline);
     * `own-evaluation`: this version's figures come from its own evaluation, on `data`.
     */
    basis: 'same-rows' | 'own-evaluation';
    data: string | null;
  } | null;
  metrics: MetricComparison[];
  blessing: {
    blessed: boolean;
    checks: { metric: string; slice: string; kind: string; outcome: string; reason: string }[];
  };
  /** Slices whose headline metric got worse than production's on the same slice, or that are significantly worse than Overall. */
  slices: {
    slice: string;
    count: number;
    metric: string;
    value: number | null;
    production: number | null;
    change: number | null;
    worseThanOverall: string[];
  }[];
  /** Fairness measures per sensitive feature, against production's; `regression` when one got worse. */
  fairness: (MetricComparison & { feature: string })[];
  regressions: number;
}

/**
 * Monitoring of served traffic: what one window of served rows showed, and the alerts it raised
 * (stored in the run store, migration 4, where the extension reads them).
 */
import type { EvaluationTask, MetricValues, ThresholdCheck } from '../evaluate/report';
import type { MonitorAction } from '../pipeline/config';
import type { ComparatorResult } from '../validate/types';

export type { MonitorAction };

export type AlertKind = 'drift' | 'prediction_drift' | 'performance';

/** The served rows one check looked at: one model version, a count or a period of time. */
export interface WindowInfo {
  /** Stable identity across reads of the same log: `v2/rows@<first row id>` or `v2/time@<ISO start>`. */
  key: string;
  model: string;
  version: number;
  /** Epoch ms: the first and last row's time (count windows) or the period's bounds (time windows). */
  start: number;
  end: number;
  rows: number;
}

export interface NewAlert {
  model: string;
  version: number;
  kind: AlertKind;
  /** The feature (drift), `score` / `prediction` (prediction drift) or the metric (performance). */
  subject: string;
  /** The comparator (`wasserstein`, `ks`, ...) or, for performance, `value` / `change`. */
  method: string;
  /** The measured value (for ks/chi2 the p-value the threshold applies to); null when it has none. */
  value: number | null;
  threshold: number | null;
  window: WindowInfo;
  /** One line a person reads: "fare: wasserstein 0.42 > 0.1". */
  message: string;
}

export type ActionOutcome = 'started' | 'done' | 'skipped' | 'failed';

export interface AlertActionRecord {
  action: MonitorAction;
  /** `started` while it runs (or when the process running it died: it is never repeated). */
  outcome: ActionOutcome;
  /** "run #12", "production 3 → 2", why it was skipped or failed. */
  detail: string;
  /** The run a retrain started. */
  runId: number | null;
  at: number;
}

export interface AlertRecord extends NewAlert {
  id: number;
  createdAt: number;
  actions: AlertActionRecord[];
}

/** Everything one window showed; drift and metrics are absent when they could not be checked (see `notes`). */
export interface WindowReport {
  window: WindowInfo;
  /** Served rows with a known label (feedback or the labels file). */
  labelled: number;
  /** Request latency of the window's rows, milliseconds (null for an empty window). */
  latency: LatencySummary | null;
  /** Every compared feature, fired or not. */
  drift: ComparatorResult[];
  /** The score (and predicted class) against the offline evaluation's predictions. */
  predictionDrift: ComparatorResult[];
  /** Online metrics on the labelled rows, the offline evaluation's overall metrics, and the configured bounds. */
  metrics?: { task: EvaluationTask; online: MetricValues; offline?: MetricValues; checks: ThresholdCheck[] };
  /** Values a feature's type cannot hold, per feature: counted as missing. */
  invalid: Record<string, number>;
  /** Why something was not checked: "drift: 40 rows, fewer than min_rows 100". */
  notes: string[];
}

export interface LatencySummary {
  p50: number;
  p99: number;
  mean: number;
}

/** A window's report as the run store keeps it (migration 5): its time series is the Monitoring panel's. */
export interface StoredWindow {
  id: number;
  report: WindowReport;
  /** When this window was (last) checked, epoch ms. */
  checkedAt: number;
}

/** A log line that is not a served row or a feedback record: counted, named, skipped. */
export interface MalformedLine {
  file: string;
  line: number;
  reason: string;
}

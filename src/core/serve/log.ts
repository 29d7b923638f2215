/**
 * What the prediction server writes off its hot path and monitoring reads: a sampled log of served
 * rows and the labels that arrive later (the feedback endpoint or a labels file). JSON lines, one
 * file per model per UTC day, under `<log dir>/<model>/`, so windows by time or by count are a
 * sequential read and old days can be dropped whole.
 */

export const REQUEST_LOG_PREFIX = 'requests-';
export const FEEDBACK_LOG = 'feedback.jsonl';

/** One served row (a request with many rows gives one record per sampled row). */
export interface ServedRecord {
  /** Unique per row: `<request id>` for one-row requests, `<request id>/<index>` otherwise; feedback names it. */
  id: string;
  /** Epoch milliseconds when the prediction was made. */
  at: number;
  model: string;
  version: number;
  /** The raw features as received (after JSON parsing), before the transform. */
  inputs: Record<string, string | number | boolean | null>;
  /** Regression value, binary P(positive), or the top class's probability. */
  score: number;
  /** Classifiers: the predicted class. */
  label?: string;
  /** Whole request latency, milliseconds. */
  latencyMs: number;
}

/** A ground-truth label for a served row, joined to it by `id`. */
export interface FeedbackRecord {
  id: string;
  /** Raw label value, as the training data holds it (`true`, `">50K"`, `12.5`). */
  label: string | number | boolean;
  at: number;
}

/** `requests-2026-11-25.jsonl` for the UTC day of `at`. */
export function requestLogFile(at: number): string {
  return `${REQUEST_LOG_PREFIX}${new Date(at).toISOString().slice(0, 10)}.jsonl`;
}

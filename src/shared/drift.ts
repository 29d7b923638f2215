/**
 * The Drift side view's message contract (src/extension/drift ↔ webview/drift). A webview *view*,
 * compact: the rows of one pipeline grouped by feature (span drift, skew, then the drift of its
 * served traffic), the features that need a look first. Same handshake and validation rules as the
 * panels' contracts.
 */

import { fromPage } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, str, type Infer } from './schema';

export const DRIFT_VIEW_ID = 'mlops.drift';

/** `drift`: a span against the previous span; `skew`: training against serving data; `serving`: a window of served rows against the served version's training statistics. */
const isKind = literal('drift', 'skew', 'serving');
export type DriftKind = Infer<typeof isKind>;

const isRow = object({
  feature: str,
  kind: isKind,
  method: str,
  /** The distance, or for ks/chi2 the test statistic. */
  value: num,
  /** For ks/chi2: the p-value, which is what the threshold applies to (fires when p ≤ threshold). */
  pValue: nullable(num),
  threshold: nullable(num),
  fired: bool,
  /** For L-infinity: the value where the largest difference is reached. */
  at: nullable(str),
  /** The compared datasets: current (treatment) and reference (control). */
  current: str,
  reference: str,
});
export type DriftRowView = Infer<typeof isRow>;

/** A checked window of served rows. */
const isServedWindow = object({
  key: str,
  /** Epoch ms: the first and last row's time, or the period's bounds. */
  start: num,
  end: num,
  rows: int,
  checkedAt: num,
});
export type ServedWindowView = Infer<typeof isServedWindow>;

/** The drift of the traffic the pipeline's model served: its newest checked window. */
export const isServingDriftView = object({
  model: str,
  /** The version that served the window; without a window the production version; null when neither is known. */
  version: nullable(int),
  /** null: no served traffic checked yet. */
  window: nullable(isServedWindow),
  /** "Serving taxi v3 · window 14:00–14:05 (1,000 rows): 2 of 9 fired". */
  summary: str,
  /** Why something was not checked ("40 rows, fewer than min_rows 100: drift is not checked"). */
  notes: array(str),
});
export type ServingDriftView = Infer<typeof isServingDriftView>;

const viewFields = {
  /** The validation run shown; null when the pipeline has no validation yet (serving rows only). */
  runId: nullable(int),
  pipeline: str,
  /** Pipelines with a validation or a served model, for the picker (the view shows one at a time). */
  pipelines: array(str),
  /** Why this pipeline is shown: the active editor's, the user's pick, or the newest data. */
  chosenBy: literal('editor', 'picker', 'latest'),
  startedAt: nullable(num),
  /** Grouped by feature (span drift, skew, serving); the group with the most pressing row first. */
  rows: array(isRow),
};

export const isDriftView = object({
  ...viewFields,
  /** null when no registered model came from the pipeline. */
  serving: nullable(isServingDriftView),
});
export type DriftView = Infer<typeof isDriftView>;

export const isDriftToWebviewMessage = messages({
  drift: isDriftView,
  empty: object({ message: str }),
});
export type DriftToWebviewMessage = Infer<typeof isDriftToWebviewMessage>;

export const isDriftFromWebviewMessage = fromPage({
  ready: object({}),
  compare: object({ feature: str, kind: isKind }),
  pickPipeline: object({ pipeline: str }),
  openAnomalies: object({ runId: int }),
  openMonitoring: object({ model: str }),
});
export type DriftFromWebviewMessage = Infer<typeof isDriftFromWebviewMessage>;

/** What the view keeps with `setState`: the last data, shown at once when the view comes back. */
export interface DriftState {
  view?: DriftView;
  empty?: string;
}

/** A view saved before serving drift existed: no `serving` key. */
const isSavedView = object({ ...viewFields, serving: optional(nullable(isServingDriftView)) });
const isSavedState = object({ view: optional(isSavedView), empty: optional(str) });

/**
 * The saved state, or undefined when it is not one. A view saved before serving drift existed has
 * no `serving`: it loads as a view without a served model.
 */
export function driftStateOf(saved: unknown): DriftState | undefined {
  if (!isSavedState(saved)) return undefined;
  if (saved.view === undefined) return { ...(saved.empty !== undefined && { empty: saved.empty }) };
  return { view: { ...saved.view, serving: saved.view.serving ?? null } };
}

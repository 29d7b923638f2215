/**
 * The Drift side view's message contract (src/extension/drift ↔ webview/drift). A webview *view*,
 * compact: the rows of one pipeline grouped by feature (span drift, skew, then the drift of its
 * served traffic), the features that need a look first. Same handshake and validation rules as the
 * panels' contracts.
 */

import { isObj, isInt, isNum, isStr, isBool, orNull, optional, hasFields, arrayOf } from './guards';
import { isPageLog, type PageLog } from './contract';

export const DRIFT_VIEW_ID = 'mlops.drift';

/** `drift`: a span against the previous span; `skew`: training against serving data; `serving`: a window of served rows against the served version's training statistics. */
export type DriftKind = 'drift' | 'skew' | 'serving';

export interface DriftRowView {
  feature: string;
  kind: DriftKind;
  method: string;
  /** The distance, or for ks/chi2 the test statistic. */
  value: number;
  /** For ks/chi2: the p-value, which is what the threshold applies to (fires when p ≤ threshold). */
  pValue: number | null;
  threshold: number | null;
  fired: boolean;
  /** For L-infinity: the value where the largest difference is reached. */
  at: string | null;
  /** The compared datasets: current (treatment) and reference (control). */
  current: string;
  reference: string;
}

/** A checked window of served rows. */
export interface ServedWindowView {
  key: string;
  /** Epoch ms: the first and last row's time, or the period's bounds. */
  start: number;
  end: number;
  rows: number;
  checkedAt: number;
}

/** The drift of the traffic the pipeline's model served: its newest checked window. */
export interface ServingDriftView {
  model: string;
  /** The version that served the window; without a window the production version; null when neither is known. */
  version: number | null;
  /** null: no served traffic checked yet. */
  window: ServedWindowView | null;
  /** "Serving taxi v3 · window 14:00–14:05 (1,000 rows): 2 of 9 fired". */
  summary: string;
  /** Why something was not checked ("40 rows, fewer than min_rows 100: drift is not checked"). */
  notes: string[];
}

export interface DriftView {
  /** The validation run shown; null when the pipeline has no validation yet (serving rows only). */
  runId: number | null;
  pipeline: string;
  /** Pipelines with a validation or a served model, for the picker (the view shows one at a time). */
  pipelines: string[];
  /** Why this pipeline is shown: the active editor's, the user's pick, or the newest data. */
  chosenBy: 'editor' | 'picker' | 'latest';
  startedAt: number | null;
  /** Grouped by feature (span drift, skew, serving); the group with the most pressing row first. */
  rows: DriftRowView[];
  /** null when no registered model came from the pipeline. */
  serving: ServingDriftView | null;
}

export const enum DriftToWebviewType {
  Drift = 'drift',
  Empty = 'empty',
}

export const enum DriftFromWebviewType {
  Ready = 'ready',
  /** A row's click: compares a span row's two datasets, opens the Monitoring panel for a serving row. */
  Compare = 'compare',
  PickPipeline = 'pickPipeline',
  OpenAnomalies = 'openAnomalies',
  OpenMonitoring = 'openMonitoring',
}

export type DriftToWebviewMessage = { type: DriftToWebviewType.Drift; payload: DriftView } | { type: DriftToWebviewType.Empty; payload: { message: string } };

export type DriftFromWebviewMessage =
  | { type: DriftFromWebviewType.Ready; payload: Record<string, never> }
  | { type: DriftFromWebviewType.Compare; payload: { feature: string; kind: DriftKind } }
  | { type: DriftFromWebviewType.PickPipeline; payload: { pipeline: string } }
  | { type: DriftFromWebviewType.OpenAnomalies; payload: { runId: number } }
  | { type: DriftFromWebviewType.OpenMonitoring; payload: { model: string } }
  | PageLog;

/** What the view keeps with `setState`: the last data, shown at once when the view comes back. */
export interface DriftState {
  view?: DriftView;
  empty?: string;
}

const isKind = (v: unknown) => v === 'drift' || v === 'skew' || v === 'serving';

const isRow = (v: unknown) =>
  hasFields(v, {
    feature: isStr,
    kind: isKind,
    method: isStr,
    value: isNum,
    pValue: orNull(isNum),
    threshold: orNull(isNum),
    fired: isBool,
    at: orNull(isStr),
    current: isStr,
    reference: isStr,
  });

const isServedWindow = (v: unknown) => hasFields(v, { key: isStr, start: isNum, end: isNum, rows: isInt, checkedAt: isNum });

export const isServingDriftView = (v: unknown): v is ServingDriftView =>
  hasFields(v, { model: isStr, version: orNull(isInt), window: orNull(isServedWindow), summary: isStr, notes: arrayOf(isStr) });

const viewFields = {
  runId: orNull(isInt),
  pipeline: isStr,
  pipelines: arrayOf(isStr),
  chosenBy: (c: unknown) => c === 'editor' || c === 'picker' || c === 'latest',
  startedAt: orNull(isNum),
  rows: arrayOf(isRow),
};

export function isDriftView(v: unknown): v is DriftView {
  return hasFields(v, { ...viewFields, serving: orNull(isServingDriftView) });
}

export function isDriftToWebviewMessage(m: unknown): m is DriftToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case DriftToWebviewType.Drift:
      return isDriftView(m.payload);
    case DriftToWebviewType.Empty:
      return hasFields(m.payload, { message: isStr });
    default:
      return false;
  }
}

export function isDriftFromWebviewMessage(m: unknown): m is DriftFromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case DriftFromWebviewType.Ready:
      return isObj(m.payload);
    case DriftFromWebviewType.Compare:
      return hasFields(m.payload, { feature: isStr, kind: isKind });
    case DriftFromWebviewType.PickPipeline:
      return hasFields(m.payload, { pipeline: isStr });
    case DriftFromWebviewType.OpenAnomalies:
      return hasFields(m.payload, { runId: isInt });
    case DriftFromWebviewType.OpenMonitoring:
      return hasFields(m.payload, { model: isStr });
    default:
      return false;
  }
}

/**
 * The saved state, or undefined when it is not one. A view saved before serving drift existed has
 * no `serving`: it loads as a view without a served model.
 */
export function driftStateOf(saved: unknown): DriftState | undefined {
  if (!isObj(saved) || !optional(isStr)(saved.empty)) return undefined;
  if (saved.view === undefined) return { ...(saved.empty !== undefined && { empty: saved.empty as string }) };
  const view = saved.view;
  if (!hasFields(view, { ...viewFields, serving: optional(orNull(isServingDriftView)) })) return undefined;
  return { view: { ...(view as unknown as DriftView), serving: (view.serving as ServingDriftView | undefined) ?? null } };
}

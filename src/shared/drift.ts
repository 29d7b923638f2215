/**
 * The Drift side view's message contract (src/extension/drift ↔ webview/drift). A webview *view*,
 * compact: one row per feature and comparator, fired ones first. Same handshake and validation
 * rules as the panels' contracts.
 */

import { isObj, isInt, isNum, isStr, isBool, orNull, hasFields } from './guards';

export const DRIFT_VIEW_ID = 'mlops.drift';

export type DriftKind = 'drift' | 'skew';

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

export interface DriftView {
  runId: number;
  pipeline: string;
  /** Pipelines with a validate run, for the picker (the view shows one at a time). */
  pipelines: string[];
  /** Why this pipeline is shown: the active editor's, the user's pick, or the newest run. */
  chosenBy: 'editor' | 'picker' | 'latest';
  startedAt: number;
  rows: DriftRowView[];
}

export const enum DriftToWebviewType {
  Drift = 'drift',
  Empty = 'empty',
}

export const enum DriftFromWebviewType {
  Ready = 'ready',
  Compare = 'compare',
  PickPipeline = 'pickPipeline',
  OpenAnomalies = 'openAnomalies',
  Log = 'log',
}

export type DriftToWebviewMessage =
  | { type: DriftToWebviewType.Drift; payload: DriftView }
  | { type: DriftToWebviewType.Empty; payload: { message: string } };

export type DriftFromWebviewMessage =
  | { type: DriftFromWebviewType.Ready; payload: Record<string, never> }
  | { type: DriftFromWebviewType.Compare; payload: { feature: string; kind: DriftKind } }
  | { type: DriftFromWebviewType.PickPipeline; payload: { pipeline: string } }
  | { type: DriftFromWebviewType.OpenAnomalies; payload: { runId: number } }
  | { type: DriftFromWebviewType.Log; payload: { level: 'error' | 'warn'; message: string } };

/** What the view keeps with `setState`: the last data, shown at once when the view comes back. */
export interface DriftState {
  view?: DriftView;
  empty?: string;
}

const isKind = (v: unknown) => v === 'drift' || v === 'skew';

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

export function isDriftView(v: unknown): v is DriftView {
  return hasFields(v, {
    runId: isInt,
    pipeline: isStr,
    pipelines: (p) => Array.isArray(p) && p.every(isStr),
    chosenBy: (c) => c === 'editor' || c === 'picker' || c === 'latest',
    startedAt: isNum,
    rows: (r) => Array.isArray(r) && r.every(isRow),
  });
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
  switch (m.type) {
    case DriftFromWebviewType.Ready:
      return isObj(m.payload);
    case DriftFromWebviewType.Compare:
      return hasFields(m.payload, { feature: isStr, kind: isKind });
    case DriftFromWebviewType.PickPipeline:
      return hasFields(m.payload, { pipeline: isStr });
    case DriftFromWebviewType.OpenAnomalies:
      return hasFields(m.payload, { runId: isInt });
    case DriftFromWebviewType.Log:
      return hasFields(m.payload, { level: (l) => l === 'error' || l === 'warn', message: isStr });
    default:
      return false;
  }
}

export function isDriftState(s: unknown): s is DriftState {
  return isObj(s) && (s.view === undefined || isDriftView(s.view)) && (s.empty === undefined || isStr(s.empty));
}

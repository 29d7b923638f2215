/**
 * The anomalies panel's message contract, imported by the extension (src/extension/anomalies) and
 * the webview (webview/anomalies). Same rules as the run-details contract: the extension sends a
 * view model, the webview renders it; both sides validate what arrives; the webview says `ready`
 * before the extension sends anything.
 */

import { isObj, isInt, isStr, isBool, orNull, arrayOf, hasFields } from './guards';
import { isPageLog, type PageLog } from './contract';

export const ANOMALIES_VIEW_TYPE = 'mlops.anomalies';

export type AnomalySeverityView = 'error' | 'warning';

/** One quick fix as the panel offers it; `applied` when the schema already says what it would write. */
export interface AnomalyFixView {
  title: string;
  applied: boolean;
}

export interface AnomalyItemView {
  /** Index in the report's `anomalies`, how the webview names an anomaly back to the extension. */
  index: number;
  type: string;
  severity: AnomalySeverityView;
  shortDescription: string;
  description: string;
  dataset: string;
  fixes: AnomalyFixView[];
}

/** Anomalies of one feature with one severity (`feature: null`: the dataset as a whole). */
export interface AnomalyGroupView {
  feature: string | null;
  severity: AnomalySeverityView;
  /** The schema file has an entry `features.<name>` (or, for the dataset, a pipeline file to show). */
  canGoToSchema: boolean;
  anomalies: AnomalyItemView[];
}

export interface AnomaliesView {
  runId: number;
  pipeline: string;
  environment: string;
  /** Workspace-relative schema file, or null when the run names none. */
  schemaFile: string | null;
  errors: number;
  warnings: number;
  groups: AnomalyGroupView[];
  /** How many drift / skew comparators ran and fired, for the summary line. */
  comparators: { total: number; fired: number };
}

export const enum AnomaliesToWebviewType {
  Anomalies = 'anomalies',
  NotFound = 'notFound',
}

export const enum AnomaliesFromWebviewType {
  Ready = 'ready',
  GoToSchema = 'goToSchema',
  ApplyFix = 'applyFix',
}

export type AnomaliesToWebviewMessage =
  { type: AnomaliesToWebviewType.Anomalies; payload: AnomaliesView } | { type: AnomaliesToWebviewType.NotFound; payload: { runId: number; message: string } };

/** Anomalies and fixes are named by index: the extension resolves them against its own report. */
export type AnomaliesFromWebviewMessage =
  | { type: AnomaliesFromWebviewType.Ready; payload: { runId: number | null } }
  | { type: AnomaliesFromWebviewType.GoToSchema; payload: { feature: string | null } }
  | { type: AnomaliesFromWebviewType.ApplyFix; payload: { anomaly: number; fix: number } }
  | PageLog;

/** What the webview keeps with `setState`, and what the serializer reopens after a reload. */
export interface AnomaliesState {
  runId: number;
  view?: AnomaliesView;
  /** Group keys the user folded (`<feature>|<severity>`). */
  collapsed?: string[];
}

// ---------------------------------------------------------------------------------------------
// Validation, hand-written as in runDetails.ts: small bundle, and the checks read as the contract.

const isSeverity = (v: unknown) => v === 'error' || v === 'warning';

const isFix = (v: unknown) => hasFields(v, { title: isStr, applied: isBool });
const isItem = (v: unknown) =>
  hasFields(v, {
    index: isInt,
    type: isStr,
    severity: isSeverity,
    shortDescription: isStr,
    description: isStr,
    dataset: isStr,
    fixes: arrayOf(isFix),
  });
const isGroup = (v: unknown) => hasFields(v, { feature: orNull(isStr), severity: isSeverity, canGoToSchema: isBool, anomalies: arrayOf(isItem) });

export function isAnomaliesView(v: unknown): v is AnomaliesView {
  return hasFields(v, {
    runId: isInt,
    pipeline: isStr,
    environment: isStr,
    schemaFile: orNull(isStr),
    errors: isInt,
    warnings: isInt,
    groups: arrayOf(isGroup),
    comparators: (c) => hasFields(c, { total: isInt, fired: isInt }),
  });
}

export function isAnomaliesToWebviewMessage(m: unknown): m is AnomaliesToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case AnomaliesToWebviewType.Anomalies:
      return isAnomaliesView(m.payload);
    case AnomaliesToWebviewType.NotFound:
      return hasFields(m.payload, { runId: isInt, message: isStr });
    default:
      return false;
  }
}

export function isAnomaliesFromWebviewMessage(m: unknown): m is AnomaliesFromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case AnomaliesFromWebviewType.Ready:
      return hasFields(m.payload, { runId: orNull(isInt) });
    case AnomaliesFromWebviewType.GoToSchema:
      return hasFields(m.payload, { feature: orNull(isStr) });
    case AnomaliesFromWebviewType.ApplyFix:
      return hasFields(m.payload, { anomaly: isInt, fix: isInt });
    default:
      return false;
  }
}

export function isAnomaliesState(s: unknown): s is AnomaliesState {
  return hasFields(s, { runId: (id) => isInt(id) && id > 0 });
}

/** The key a group is folded under in the saved state. */
export function groupKey(g: Pick<AnomalyGroupView, 'feature' | 'severity'>): string {
  return `${g.feature ?? ''}|${g.severity}`;
}

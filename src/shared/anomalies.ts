/**
 * The anomalies panel's message contract, imported by the extension (src/extension/anomalies) and
 * the webview (webview/anomalies). Same rules as the run-details contract: the extension sends a
 * view model, the webview renders it; both sides validate what arrives; the webview says `ready`
 * before the extension sends anything.
 */

import { fromPage, isRunId, isRunNotFound } from './contract';
import { array, bool, int, literal, messages, nullable, object, optional, str, type Infer } from './schema';

export const ANOMALIES_VIEW_TYPE = 'mlops.anomalies';

const isSeverity = literal('error', 'warning');
export type AnomalySeverityView = Infer<typeof isSeverity>;

/** One quick fix as the panel offers it; `applied` when the schema already says what it would write. */
const isFix = object({ title: str, applied: bool });
export type AnomalyFixView = Infer<typeof isFix>;

const isItem = object({
  /** Index in the report's `anomalies`, how the webview names an anomaly back to the extension. */
  index: int,
  type: str,
  severity: isSeverity,
  shortDescription: str,
  description: str,
  dataset: str,
  fixes: array(isFix),
});
export type AnomalyItemView = Infer<typeof isItem>;

/** Anomalies of one feature with one severity (`feature: null`: the dataset as a whole). */
const isGroup = object({
  feature: nullable(str),
  severity: isSeverity,
  /** The schema file has an entry `features.<name>` (or, for the dataset, a pipeline file to show). */
  canGoToSchema: bool,
  anomalies: array(isItem),
});
export type AnomalyGroupView = Infer<typeof isGroup>;

export const isAnomaliesView = object({
  runId: int,
  pipeline: str,
  environment: str,
  /** Workspace-relative schema file, or null when the run names none. */
  schemaFile: nullable(str),
  errors: int,
  warnings: int,
  groups: array(isGroup),
  /** How many drift / skew comparators ran and fired, for the summary line. */
  comparators: object({ total: int, fired: int }),
});
export type AnomaliesView = Infer<typeof isAnomaliesView>;

export const isAnomaliesToWebviewMessage = messages({
  anomalies: isAnomaliesView,
  notFound: isRunNotFound,
});
export type AnomaliesToWebviewMessage = Infer<typeof isAnomaliesToWebviewMessage>;

/** Anomalies and fixes are named by index: the extension resolves them against its own report. */
export const isAnomaliesFromWebviewMessage = fromPage({
  ready: object({ runId: nullable(int) }),
  goToSchema: object({ feature: nullable(str) }),
  applyFix: object({ anomaly: int, fix: int }),
});
export type AnomaliesFromWebviewMessage = Infer<typeof isAnomaliesFromWebviewMessage>;

/** What the webview keeps with `setState`, and what the serializer reopens after a reload. */
export const isAnomaliesState = object({
  runId: isRunId,
  view: optional(isAnomaliesView),
  /** Group keys the user folded (`<feature>|<severity>`). */
  collapsed: optional(array(str)),
});
export type AnomaliesState = Infer<typeof isAnomaliesState>;

/** The key a group is folded under in the saved state. */
export function groupKey(g: Pick<AnomalyGroupView, 'feature' | 'severity'>): string {
  return `${g.feature ?? ''}|${g.severity}`;
}

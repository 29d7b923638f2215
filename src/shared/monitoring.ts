/**
 * The Monitoring panel's message contract (src/extension/monitoring ↔ webview/monitoring): one
 * registry model's served traffic. Live traffic comes from the server this window started (the
 * `traffic` events of `mlops serve --json`); windows and alerts come from the run store, where
 * `mlops monitor` (the editor's or one in a terminal or CI) records them. Same handshake and
 * validation rules as the other panels' contracts.
 */

import { fromPage } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, str, type Infer } from './schema';

export const MONITORING_VIEW_TYPE = 'mlops.monitoring';

const maybeNum = nullable(num);

/** One interval of prediction traffic (about a second). */
export const isTrafficPoint = object({
  /** Epoch ms: the interval's end. */
  at: num,
  requestsPerSecond: num,
  errorsPerSecond: num,
  rowsPerSecond: num,
  /** Milliseconds; null when nothing was answered in the interval. */
  p50Ms: maybeNum,
  p99Ms: maybeNum,
  /** The version answering un-versioned requests. */
  version: nullable(int),
});
export type TrafficPoint = Infer<typeof isTrafficPoint>;

const isServingState = literal('starting', 'serving', 'stopping', 'stopped', 'failed');
export type ServingState = Infer<typeof isServingState>;

/** The server this window started for the model; absent when it serves nothing of this model. */
export const isServingInfo = object({
  state: isServingState,
  url: nullable(str),
  version: nullable(int),
  /** Epoch ms. */
  startedAt: num,
  /** Whether `mlops monitor --follow` runs beside the server. */
  monitoring: bool,
  /** Why it failed or stopped on its own; why the monitor is not running. */
  error: nullable(str),
});
export type ServingInfo = Infer<typeof isServingInfo>;

/** One comparator of one window (feature drift, or prediction drift of `score` / `prediction`). */
const isWindowCheck = object({
  subject: str,
  method: str,
  /** The distance, or for ks/chi2 the statistic; null when the store could not hold it (infinite). */
  value: maybeNum,
  /** ks/chi2: the p-value the threshold applies to (fires when p ≤ threshold). */
  pValue: maybeNum,
  threshold: maybeNum,
  fired: bool,
  /** How close to firing: 1 is the threshold, above fired (see the Drift view's pressure). */
  pressure: maybeNum,
});
export type WindowCheck = Infer<typeof isWindowCheck>;

/** An online metric of one window next to the offline evaluation, with its configured bounds. */
const isWindowMetric = object({
  metric: str,
  online: maybeNum,
  offline: maybeNum,
  lower: maybeNum,
  upper: maybeNum,
  /** The bound checks' outcome; null when the metric has no bound or was not checked. */
  passed: nullable(bool),
});
export type WindowMetric = Infer<typeof isWindowMetric>;

const isWindowPoint = object({
  key: str,
  version: int,
  /** Epoch ms. */
  start: num,
  end: num,
  /** Served rows logged in the window (a sample when the server samples), and those with a label. */
  rows: int,
  labelled: int,
  latency: nullable(object({ p50: num, p99: num, mean: num })),
  drift: array(isWindowCheck),
  predictionDrift: array(isWindowCheck),
  metrics: array(isWindowMetric),
  notes: array(str),
  /** Alerts this window raised. */
  alerts: int,
});
export type WindowPoint = Infer<typeof isWindowPoint>;

const isAlertAction = object({ action: str, outcome: literal('started', 'done', 'skipped', 'failed'), detail: str, runId: nullable(int), at: num });
export type AlertActionView = Infer<typeof isAlertAction>;

const isAlert = object({
  id: int,
  createdAt: num,
  version: int,
  kind: literal('drift', 'prediction_drift', 'performance'),
  subject: str,
  method: str,
  value: maybeNum,
  threshold: maybeNum,
  message: str,
  windowKey: str,
  windowEnd: num,
  actions: array(isAlertAction),
});
export type AlertView = Infer<typeof isAlert>;

export const isMonitoringView = object({
  model: str,
  /** Registered or monitored models, for the picker. */
  models: array(str),
  production: nullable(int),
  serving: nullable(isServingInfo),
  /** The live server's last minutes, oldest first (empty when this window serves nothing of the model). */
  traffic: array(isTrafficPoint),
  /** Checked windows, oldest first. */
  windows: array(isWindowPoint),
  /** Newest first. */
  alerts: array(isAlert),
  /** How windows are cut and what alerts do, from the pipeline's monitor section: "1,000 rows · notify, retrain". */
  settings: nullable(str),
});
export type MonitoringView = Infer<typeof isMonitoringView>;

/** What the page reports it drew: the windows and alerts listed, the charts drawn (by name), or its empty message. */
const isRenderedMonitoring = object({
  model: str,
  windows: int,
  alerts: int,
  /** Live traffic points held. */
  traffic: int,
  charts: array(str),
  empty: nullable(str),
});
export type RenderedMonitoring = Infer<typeof isRenderedMonitoring>;

export const isMonitoringToWebviewMessage = messages({
  view: isMonitoringView,
  traffic: object({ model: str, point: isTrafficPoint, serving: isServingInfo }),
  empty: object({ model: str, message: str }),
});
export type MonitoringToWebviewMessage = Infer<typeof isMonitoringToWebviewMessage>;

const isModelPayload = object({ model: str });

export const isMonitoringFromWebviewMessage = fromPage({
  ready: object({}),
  pickModel: isModelPayload,
  startServing: isModelPayload,
  stopServing: isModelPayload,
  sendTestRequest: isModelPayload,
  openRun: object({ runId: int }),
  rendered: isRenderedMonitoring,
});
export type MonitoringFromWebviewMessage = Infer<typeof isMonitoringFromWebviewMessage>;

/** What the page keeps with `setState`: the model (the serializer reopens it) and the last view. */
export const isMonitoringState = object({
  model: str,
  view: optional(isMonitoringView),
  /** Charts the user chose: the drift chart's features ("top" = the most pressured), the metric shown. */
  driftFeatures: optional(array(str)),
  metric: optional(str),
});
export type MonitoringState = Infer<typeof isMonitoringState>;

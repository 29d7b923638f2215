/**
 * The Monitoring panel's message contract (src/extension/monitoring ↔ webview/monitoring): one
 * registry model's served traffic. Live traffic comes from the server this window started (the
 * `traffic` events of `mlops serve --json`); windows and alerts come from the run store, where
 * `mlops monitor` (the editor's or one in a terminal or CI) records them. Same handshake and
 * validation rules as the other panels' contracts.
 */

import { arrayOf, hasFields, isBool, isInt, isNum, isObj, isStr, optional, orNull, recordsOf } from './guards';
import { isPageLog, type PageLog } from './contract';

export const MONITORING_VIEW_TYPE = 'mlops.monitoring';

/** One interval of prediction traffic (about a second). */
export interface TrafficPoint {
  /** Epoch ms: the interval's end. */
  at: number;
  requestsPerSecond: number;
  errorsPerSecond: number;
  rowsPerSecond: number;
  /** Milliseconds; null when nothing was answered in the interval. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** The version answering un-versioned requests. */
  version: number | null;
}

export type ServingState = 'starting' | 'serving' | 'stopping' | 'stopped' | 'failed';

/** The server this window started for the model; absent when it serves nothing of this model. */
export interface ServingInfo {
  state: ServingState;
  url: string | null;
  version: number | null;
  /** Epoch ms. */
  startedAt: number;
  /** Whether `mlops monitor --follow` runs beside the server. */
  monitoring: boolean;
  /** Why it failed or stopped on its own; why the monitor is not running. */
  error: string | null;
}

/** One comparator of one window (feature drift, or prediction drift of `score` / `prediction`). */
export interface WindowCheck {
  subject: string;
  method: string;
  /** The distance, or for ks/chi2 the statistic; null when the store could not hold it (infinite). */
  value: number | null;
  /** ks/chi2: the p-value the threshold applies to (fires when p ≤ threshold). */
  pValue: number | null;
  threshold: number | null;
  fired: boolean;
  /** How close to firing: 1 is the threshold, above fired (see the Drift view's pressure). */
  pressure: number | null;
}

/** An online metric of one window next to the offline evaluation, with its configured bounds. */
export interface WindowMetric {
  metric: string;
  online: number | null;
  offline: number | null;
  lower: number | null;
  upper: number | null;
  /** The bound checks' outcome; null when the metric has no bound or was not checked. */
  passed: boolean | null;
}

export interface WindowPoint {
  key: string;
  version: number;
  /** Epoch ms. */
  start: number;
  end: number;
  /** Served rows logged in the window (a sample when the server samples), and those with a label. */
  rows: number;
  labelled: number;
  latency: { p50: number; p99: number; mean: number } | null;
  drift: WindowCheck[];
  predictionDrift: WindowCheck[];
  metrics: WindowMetric[];
  notes: string[];
  /** Alerts this window raised. */
  alerts: number;
}

export interface AlertActionView {
  action: string;
  outcome: 'started' | 'done' | 'skipped' | 'failed';
  detail: string;
  runId: number | null;
  at: number;
}

export interface AlertView {
  id: number;
  createdAt: number;
  version: number;
  kind: 'drift' | 'prediction_drift' | 'performance';
  subject: string;
  method: string;
  value: number | null;
  threshold: number | null;
  message: string;
  windowKey: string;
  windowEnd: number;
  actions: AlertActionView[];
}

export interface MonitoringView {
  model: string;
  /** Registered or monitored models, for the picker. */
  models: string[];
  production: number | null;
  serving: ServingInfo | null;
  /** The live server's last minutes, oldest first (empty when this window serves nothing of the model). */
  traffic: TrafficPoint[];
  /** Checked windows, oldest first. */
  windows: WindowPoint[];
  /** Newest first. */
  alerts: AlertView[];
  /** How windows are cut and what alerts do, from the pipeline's monitor section: "1,000 rows · notify, retrain". */
  settings: string | null;
}

export const enum MonitoringToWebviewType {
  View = 'view',
  /** A live point, between full views: appended to `traffic`, `serving` replaced. */
  Traffic = 'traffic',
  Empty = 'empty',
}

export const enum MonitoringFromWebviewType {
  Ready = 'ready',
  PickModel = 'pickModel',
  StartServing = 'startServing',
  StopServing = 'stopServing',
  SendTestRequest = 'sendTestRequest',
  OpenRun = 'openRun',
  /** What the page drew, for the tests and the log (after a burst of changes). */
  Rendered = 'rendered',
}

/** What the page reports it drew: the windows and alerts listed, the charts drawn (by name), or its empty message. */
export interface RenderedMonitoring {
  model: string;
  windows: number;
  alerts: number;
  /** Live traffic points held. */
  traffic: number;
  charts: string[];
  empty: string | null;
}

export type MonitoringToWebviewMessage =
  | { type: MonitoringToWebviewType.View; payload: MonitoringView }
  | { type: MonitoringToWebviewType.Traffic; payload: { model: string; point: TrafficPoint; serving: ServingInfo } }
  | { type: MonitoringToWebviewType.Empty; payload: { model: string; message: string } };

export type MonitoringFromWebviewMessage =
  | { type: MonitoringFromWebviewType.Ready; payload: Record<string, never> }
  | { type: MonitoringFromWebviewType.PickModel; payload: { model: string } }
  | { type: MonitoringFromWebviewType.StartServing; payload: { model: string } }
  | { type: MonitoringFromWebviewType.StopServing; payload: { model: string } }
  | { type: MonitoringFromWebviewType.SendTestRequest; payload: { model: string } }
  | { type: MonitoringFromWebviewType.OpenRun; payload: { runId: number } }
  | { type: MonitoringFromWebviewType.Rendered; payload: RenderedMonitoring }
  | PageLog;

/** What the page keeps with `setState`: the model (the serializer reopens it) and the last view. */
export interface MonitoringState {
  model: string;
  view?: MonitoringView;
  /** Charts the user chose: the drift chart's features ("top" = the most pressured), the metric shown. */
  driftFeatures?: string[];
  metric?: string;
}

const isState = (v: unknown) => v === 'starting' || v === 'serving' || v === 'stopping' || v === 'stopped' || v === 'failed';
const num = orNull(isNum);

export const isTrafficPoint = (v: unknown): v is TrafficPoint =>
  hasFields(v, { at: isNum, requestsPerSecond: isNum, errorsPerSecond: isNum, rowsPerSecond: isNum, p50Ms: num, p99Ms: num, version: orNull(isInt) });

export const isServingInfo = (v: unknown): v is ServingInfo =>
  hasFields(v, { state: isState, url: orNull(isStr), version: orNull(isInt), startedAt: isNum, monitoring: isBool, error: orNull(isStr) });

const isCheck = recordsOf({ subject: isStr, method: isStr, value: num, pValue: num, threshold: num, fired: isBool, pressure: num });

const isWindow = (v: unknown) =>
  hasFields(v, {
    key: isStr,
    version: isInt,
    start: isNum,
    end: isNum,
    rows: isInt,
    labelled: isInt,
    latency: orNull((l) => hasFields(l, { p50: isNum, p99: isNum, mean: isNum })),
    drift: isCheck,
    predictionDrift: isCheck,
    metrics: recordsOf({ metric: isStr, online: num, offline: num, lower: num, upper: num, passed: orNull(isBool) }),
    notes: arrayOf(isStr),
    alerts: isInt,
  });

const isAlert = (v: unknown) =>
  hasFields(v, {
    id: isInt,
    createdAt: isNum,
    version: isInt,
    kind: (k) => k === 'drift' || k === 'prediction_drift' || k === 'performance',
    subject: isStr,
    method: isStr,
    value: num,
    threshold: num,
    message: isStr,
    windowKey: isStr,
    windowEnd: isNum,
    actions: recordsOf({
      action: isStr,
      outcome: (o) => o === 'started' || o === 'done' || o === 'skipped' || o === 'failed',
      detail: isStr,
      runId: orNull(isInt),
      at: isNum,
    }),
  });

export function isMonitoringView(v: unknown): v is MonitoringView {
  return hasFields(v, {
    model: isStr,
    models: arrayOf(isStr),
    production: orNull(isInt),
    serving: orNull(isServingInfo),
    traffic: arrayOf(isTrafficPoint),
    windows: arrayOf(isWindow),
    alerts: arrayOf(isAlert),
    settings: orNull(isStr),
  });
}

export function isMonitoringToWebviewMessage(m: unknown): m is MonitoringToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case MonitoringToWebviewType.View:
      return isMonitoringView(m.payload);
    case MonitoringToWebviewType.Traffic:
      return hasFields(m.payload, { model: isStr, point: isTrafficPoint, serving: isServingInfo });
    case MonitoringToWebviewType.Empty:
      return hasFields(m.payload, { model: isStr, message: isStr });
    default:
      return false;
  }
}

const modelPayload = (p: unknown) => hasFields(p, { model: isStr });

export function isMonitoringFromWebviewMessage(m: unknown): m is MonitoringFromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case MonitoringFromWebviewType.Ready:
      return isObj(m.payload);
    case MonitoringFromWebviewType.PickModel:
    case MonitoringFromWebviewType.StartServing:
    case MonitoringFromWebviewType.StopServing:
    case MonitoringFromWebviewType.SendTestRequest:
      return modelPayload(m.payload);
    case MonitoringFromWebviewType.OpenRun:
      return hasFields(m.payload, { runId: isInt });
    case MonitoringFromWebviewType.Rendered:
      return hasFields(m.payload, { model: isStr, windows: isInt, alerts: isInt, traffic: isInt, charts: arrayOf(isStr), empty: orNull(isStr) });
    default:
      return false;
  }
}

export function isMonitoringState(s: unknown): s is MonitoringState {
  return hasFields(s, { model: isStr, view: optional(isMonitoringView), driftFeatures: optional(arrayOf(isStr)), metric: optional(isStr) });
}

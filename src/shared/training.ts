/**
 * The training panel's message contract, imported by the extension (src/extension/training) and the
 * webview (webview/training). The extension reads a run's metric curves from the store, smooths and
 * down-samples them and sends chart-ready series; while the run trains it sends only the points
 * logged since. The webview draws. Messages are validated on arrival on both sides.
 *
 * Handshake: the webview posts `ready` (with the smoothing it restored) once its listener is
 * installed; the extension sends nothing before.
 */

import { arrayOf, hasFields, isBool, isInt, isNum, isObj, isStr, optional, orNull } from './guards';
import { isPageLog, type PageLog } from './contract';

export const TRAINING_VIEW_TYPE = 'mlops.training';

/** TensorBoard's default: a visible trend without hiding the noise. */
export const DEFAULT_SMOOTHING = 0.6;
export const MAX_SMOOTHING = 0.99;

/** `loss` (train) and `val_loss` (validation) share a chart; `batch_loss` has its own, by batch. */
export type SeriesRole = 'train' | 'validation' | 'batch' | 'other';
export type ChartAxis = 'epoch' | 'batch' | 'step';

/** Parallel arrays; `smoothed` is empty when smoothing is off. Only finite values are sent. */
export interface SeriesPoints {
  steps: number[];
  values: number[];
  smoothed: number[];
}

export interface SeriesView {
  key: string;
  role: SeriesRole;
  points: SeriesPoints;
  /** Points the store holds for the key (the chart may show fewer, down-sampled). */
  total: number;
  /** Smallest finite value of all points, so a log scale knows whether it applies. */
  min: number | null;
}

export interface ChartView {
  /** The metric without its `val_` prefix: `loss`, `auc`, `batch_loss`. */
  id: string;
  axis: ChartAxis;
  keys: string[];
}

export interface TrainingView {
  runId: number;
  pipeline: string;
  status: string;
  /** The tfjs backend that trained, when the run recorded it. */
  backend: string | null;
  /** Set for a tuning trial: the run that tuned. */
  parentRunId: number | null;
  smoothing: number;
  /** Most points a series is drawn with: longer ones are down-sampled keeping every extreme. */
  budget: number;
  charts: ChartView[];
  series: SeriesView[];
}

/** New points of one series, or (`replace`) the whole series again, down-sampled afresh. */
export interface SeriesUpdate {
  key: string;
  replace: boolean;
  points: SeriesPoints;
  total: number;
  min: number | null;
}

/** What the webview keeps with `setState`; the serializer reopens `runId`. */
export interface TrainingState {
  runId: number;
  smoothing?: number;
  logScale?: boolean;
}

export const enum ToWebviewType {
  View = 'view',
  Update = 'update',
  NotFound = 'notFound',
}

export const enum FromWebviewType {
  Ready = 'ready',
  Smoothing = 'smoothing',
  ExportChart = 'exportChart',
  ExportCsv = 'exportCsv',
  Rendered = 'rendered',
}

export type ToWebviewMessage =
  | { type: ToWebviewType.View; payload: TrainingView }
  | { type: ToWebviewType.Update; payload: { runId: number; status: string; series: SeriesUpdate[] } }
  | { type: ToWebviewType.NotFound; payload: { runId: number; message: string } };

export type FromWebviewMessage =
  | { type: FromWebviewType.Ready; payload: { runId: number | null; smoothing: number | null } }
  | { type: FromWebviewType.Smoothing; payload: { smoothing: number } }
  /** `data`: SVG text, or a PNG `data:image/png;base64,` URL. */
  | { type: FromWebviewType.ExportChart; payload: { chart: string; format: 'svg' | 'png'; data: string } }
  | { type: FromWebviewType.ExportCsv; payload: { chart: string } }
  /** After each render or update: points drawn per series key, for the tests and the log. */
  | { type: FromWebviewType.Rendered; payload: { charts: number; points: Record<string, number>; logScale: boolean } }
  | PageLog;

// ---------------------------------------------------------------------------------------------

const ROLES: readonly unknown[] = ['train', 'validation', 'batch', 'other'];
const AXES: readonly unknown[] = ['epoch', 'batch', 'step'];

export const isSmoothing = (v: unknown): v is number => isNum(v) && v >= 0 && v <= MAX_SMOOTHING;

export function isSeriesPoints(v: unknown): v is SeriesPoints {
  if (!hasFields(v, { steps: arrayOf(isNum), values: arrayOf(isNum), smoothed: arrayOf(isNum) })) return false;
  const p = v as unknown as SeriesPoints;
  return p.values.length === p.steps.length && (p.smoothed.length === 0 || p.smoothed.length === p.steps.length);
}

const isSeriesView = (v: unknown) => hasFields(v, { key: isStr, role: (r) => ROLES.includes(r), points: isSeriesPoints, total: isInt, min: orNull(isNum) });

const isChartView = (v: unknown) => hasFields(v, { id: isStr, axis: (a) => AXES.includes(a), keys: arrayOf(isStr) });

export function isTrainingView(v: unknown): v is TrainingView {
  return hasFields(v, {
    runId: isInt,
    pipeline: isStr,
    status: isStr,
    backend: orNull(isStr),
    parentRunId: orNull(isInt),
    smoothing: isSmoothing,
    budget: isInt,
    charts: arrayOf(isChartView),
    series: arrayOf(isSeriesView),
  });
}

const isSeriesUpdate = (v: unknown) => hasFields(v, { key: isStr, replace: isBool, points: isSeriesPoints, total: isInt, min: orNull(isNum) });

export function isToWebviewMessage(m: unknown): m is ToWebviewMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case ToWebviewType.View:
      return isTrainingView(m.payload);
    case ToWebviewType.Update:
      return hasFields(m.payload, { runId: isInt, status: isStr, series: arrayOf(isSeriesUpdate) });
    case ToWebviewType.NotFound:
      return hasFields(m.payload, { runId: isInt, message: isStr });
    default:
      return false;
  }
}

const isCounts = (v: unknown) => isObj(v) && Object.values(v).every(isInt);
const isFormat = (f: unknown) => f === 'svg' || f === 'png';

export function isFromWebviewMessage(m: unknown): m is FromWebviewMessage {
  if (!isObj(m)) return false;
  if (isPageLog(m)) return true;
  switch (m.type) {
    case FromWebviewType.Ready:
      return hasFields(m.payload, { runId: orNull(isInt), smoothing: orNull(isSmoothing) });
    case FromWebviewType.Smoothing:
      return hasFields(m.payload, { smoothing: isSmoothing });
    case FromWebviewType.ExportChart:
      return hasFields(m.payload, { chart: isStr, format: isFormat, data: isStr });
    case FromWebviewType.ExportCsv:
      return hasFields(m.payload, { chart: isStr });
    case FromWebviewType.Rendered:
      return hasFields(m.payload, { charts: isInt, points: isCounts, logScale: isBool });
    default:
      return false;
  }
}

export function isTrainingState(s: unknown): s is TrainingState {
  return hasFields(s, { runId: (id) => isInt(id) && id > 0, smoothing: optional(isSmoothing), logScale: optional(isBool) });
}

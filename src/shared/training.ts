/**
 * The training panel's message contract, imported by the extension (src/extension/training) and the
 * webview (webview/training). The extension reads a run's metric curves from the store, smooths and
 * down-samples them and sends chart-ready series; while the run trains it sends only the points
 * logged since. The webview draws. Messages are validated on arrival on both sides.
 *
 * Handshake: the webview posts `ready` (with the smoothing it restored) once its listener is
 * installed; the extension sends nothing before.
 */

import { fromPage, isChartExport, isRunId, isRunNotFound } from './contract';
import { array, bool, int, literal, messages, nullable, num, object, optional, record, refine, str, type Infer } from './schema';

export const TRAINING_VIEW_TYPE = 'mlops.training';

/** TensorBoard's default: a visible trend without hiding the noise. */
export const DEFAULT_SMOOTHING = 0.6;
export const MAX_SMOOTHING = 0.99;

export const isSmoothing = refine(num, (v) => v >= 0 && v <= MAX_SMOOTHING);

/** `loss` (train) and `val_loss` (validation) share a chart; `batch_loss` has its own, by batch. */
const isSeriesRole = literal('train', 'validation', 'batch', 'other');
export type SeriesRole = Infer<typeof isSeriesRole>;
const isChartAxis = literal('epoch', 'batch', 'step');
export type ChartAxis = Infer<typeof isChartAxis>;

/** Parallel arrays; `smoothed` is empty when smoothing is off. Only finite values are sent. */
export const isSeriesPoints = refine(
  object({ steps: array(num), values: array(num), smoothed: array(num) }),
  (p) => p.values.length === p.steps.length && (p.smoothed.length === 0 || p.smoothed.length === p.steps.length),
);
export type SeriesPoints = Infer<typeof isSeriesPoints>;

const isSeriesView = object({
  key: str,
  role: isSeriesRole,
  points: isSeriesPoints,
  /** Points the store holds for the key (the chart may show fewer, down-sampled). */
  total: int,
  /** Smallest finite value of all points, so a log scale knows whether it applies. */
  min: nullable(num),
});
export type SeriesView = Infer<typeof isSeriesView>;

const isChartView = object({
  /** The metric without its `val_` prefix: `loss`, `auc`, `batch_loss`. */
  id: str,
  axis: isChartAxis,
  keys: array(str),
});
export type ChartView = Infer<typeof isChartView>;

export const isTrainingView = object({
  runId: int,
  pipeline: str,
  status: str,
  /** The tfjs backend that trained, when the run recorded it. */
  backend: nullable(str),
  /** Set for a tuning trial: the run that tuned. */
  parentRunId: nullable(int),
  smoothing: isSmoothing,
  /** Most points a series is drawn with: longer ones are down-sampled keeping every extreme. */
  budget: int,
  charts: array(isChartView),
  series: array(isSeriesView),
});
export type TrainingView = Infer<typeof isTrainingView>;

/** New points of one series, or (`replace`) the whole series again, down-sampled afresh. */
const isSeriesUpdate = object({ key: str, replace: bool, points: isSeriesPoints, total: int, min: nullable(num) });
export type SeriesUpdate = Infer<typeof isSeriesUpdate>;

/** What the webview keeps with `setState`; the serializer reopens `runId`. */
export const isTrainingState = object({ runId: isRunId, smoothing: optional(isSmoothing), logScale: optional(bool) });
export type TrainingState = Infer<typeof isTrainingState>;

export const isToWebviewMessage = messages({
  view: isTrainingView,
  update: object({ runId: int, status: str, series: array(isSeriesUpdate) }),
  notFound: isRunNotFound,
});
export type ToWebviewMessage = Infer<typeof isToWebviewMessage>;

export const isFromWebviewMessage = fromPage({
  ready: object({ runId: nullable(int), smoothing: nullable(isSmoothing) }),
  smoothing: object({ smoothing: isSmoothing }),
  /** `data`: SVG text, or a PNG `data:image/png;base64,` URL. */
  exportChart: isChartExport,
  exportCsv: object({ chart: str }),
  /** After each render or update: points drawn per series key, for the tests and the log. */
  rendered: object({ charts: int, points: record(int), logScale: bool }),
});
export type FromWebviewMessage = Infer<typeof isFromWebviewMessage>;

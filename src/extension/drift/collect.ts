import type { StoredWindow, WindowReport } from '../../core/monitor/types';
import type { ComparatorResult } from '../../core/validate/types';
import type { DriftKind, DriftRowView, DriftView, ServedWindowView, ServingDriftView } from '../../shared/drift';
import { formatCount, formatTimestamp } from '../../core/util/format';
import type { RunValidation } from '../anomalies/report';

const P_VALUE_METHODS = new Set(['ks', 'chi2']);

/** Within a feature: span drift, skew, then serving, so serving drift reads next to span drift. */
const KIND_ORDER: Record<DriftKind, number> = { drift: 0, skew: 1, serving: 2 };

/**
 * How close a comparator is to firing, > 1 past its threshold: value / threshold, or for the p-value
 * tests (which fire when p ≤ threshold) threshold / p.
 */
export function pressure(r: Pick<DriftRowView, 'method' | 'value' | 'pValue' | 'threshold'>): number {
  if (r.threshold === null) return 0;
  if (P_VALUE_METHODS.has(r.method)) return r.pValue === null ? 0 : r.pValue === 0 ? Infinity : r.threshold / r.pValue;
  return r.threshold === 0 ? (r.value > 0 ? Infinity : 0) : r.value / r.threshold;
}

/** Fired first, then closest to firing. */
const mostPressing = (a: DriftRowView, b: DriftRowView) => Number(b.fired) - Number(a.fired) || pressure(b) - pressure(a);

/**
 * Each feature's rows together (span drift, skew, serving), the features ordered by their most
 * pressing row, then by name: the features that need a look are on top.
 */
export function orderDriftRows(rows: readonly DriftRowView[]): DriftRowView[] {
  const byFeature = new Map<string, DriftRowView[]>();
  for (const r of rows) byFeature.set(r.feature, [...(byFeature.get(r.feature) ?? []), r]);
  return [...byFeature.values()]
    .map((group) => ({
      group: [...group].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || mostPressing(a, b)),
      top: [...group].sort(mostPressing)[0],
    }))
    .sort((a, b) => mostPressing(a.top, b.top) || a.top.feature.localeCompare(b.top.feature))
    .flatMap((g) => g.group);
}

function toRow(r: ComparatorResult, kind: DriftKind, current: string, reference: string): DriftRowView {
  return {
    feature: r.feature,
    kind,
    method: r.method,
    value: r.value,
    pValue: r.pValue ?? null,
    threshold: r.threshold ?? null,
    fired: r.fired,
    at: r.at ?? null,
    current,
    reference,
  };
}

/** A validation's drift and skew results as the view's rows, grouped and ordered by `orderDriftRows`. */
export function toDriftRows(results: readonly ComparatorResult[]): DriftRowView[] {
  return orderDriftRows(results.map((r) => toRow(r, r.kind, r.current, r.reference)));
}

/** A window's feature drift as serving rows: the served window against the serving version's training statistics. */
export function toServingRows(report: WindowReport, now: number): DriftRowView[] {
  const current = `served window ${windowRange(report.window.start, report.window.end, now)}`;
  const reference = `training statistics of v${report.window.version}`;
  return report.drift.map((r) => toRow(r, 'serving', current, reference));
}

/** A registered model version with the pipeline whose run trained it. */
export interface PipelineVersion {
  model: string;
  version: number;
  pipeline: string;
  /** Absolute path of the pipeline file of that run. */
  pipelineFile: string;
  /** The model's production alias points at it. */
  production: boolean;
}

/** A model a pipeline's runs registered, with what the Drift view shows of its serving. */
export interface ServedModel {
  model: string;
  pipeline: string;
  /** Its production version came from this pipeline; the version when so. */
  productionVersion: number | null;
  /** Its newest checked window, from whichever pipeline the served version came. */
  newestWindow: StoredWindow | null;
}

/** One entry per (pipeline, model) the versions came from; `newest` holds each model's newest window. */
export function servedModels(versions: readonly PipelineVersion[], newest: ReadonlyMap<string, StoredWindow>): ServedModel[] {
  const found = new Map<string, ServedModel>();
  for (const v of versions) {
    const key = JSON.stringify([v.pipeline, v.model]);
    const entry = found.get(key) ?? { model: v.model, pipeline: v.pipeline, productionVersion: null, newestWindow: newest.get(v.model) ?? null };
    if (v.production) entry.productionVersion = v.version;
    found.set(key, entry);
  }
  return [...found.values()];
}

const windowEnd = (m: ServedModel) => m.newestWindow?.report.window.end ?? -Infinity;

/**
 * The served model that belongs to `pipeline`: the one whose production version came from it,
 * else (several or none) the one with the newest checked window, then by name.
 */
export function chooseServedModel(pipeline: string, served: readonly ServedModel[]): ServedModel | undefined {
  return served
    .filter((m) => m.pipeline === pipeline)
    .sort(
      (a, b) => Number(b.productionVersion !== null) - Number(a.productionVersion !== null) || windowEnd(b) - windowEnd(a) || a.model.localeCompare(b.model),
    )[0];
}

export type Choice = { pipeline: string; by: 'editor' | 'picker' } | undefined;

/** Pipelines with something to show: a validation, or a served model with a checked window. */
export function shownPipelines(latest: readonly RunValidation[], served: readonly ServedModel[]): string[] {
  return [...new Set([...latest.map((v) => v.pipeline), ...served.filter((m) => m.newestWindow).map((m) => m.pipeline)])].sort();
}

/**
 * The pipeline to show: the chosen one when it has something to show, else the one validated last,
 * else (nothing validated yet) the one whose served model has the newest checked window.
 */
export function choosePipeline(
  latest: readonly RunValidation[],
  served: readonly ServedModel[],
  choice: Choice,
): { pipeline: string; by: DriftView['chosenBy'] } | undefined {
  const shown = shownPipelines(latest, served);
  if (choice && shown.includes(choice.pipeline)) return choice;
  const newest = [...latest].sort((a, b) => b.startedAt - a.startedAt)[0];
  if (newest) return { pipeline: newest.pipeline, by: 'latest' };
  const watched = served.filter((m) => m.newestWindow).sort((a, b) => windowEnd(b) - windowEnd(a))[0];
  return watched && { pipeline: watched.pipeline, by: 'latest' };
}

/** The pipeline a pipeline file is, as far as its runs tell. */
export function pipelineOfFile(file: string, latest: readonly RunValidation[], versions: readonly PipelineVersion[]): string | undefined {
  return latest.find((v) => v.pipelineFile === file)?.pipeline ?? versions.find((v) => v.pipelineFile === file)?.pipeline;
}

/**
 * "14:00–14:05" in local time; seconds when both are in the same minute, the date when it is not
 * today's (`now`) or the window crosses midnight.
 */
export function windowRange(start: number, end: number, now: number): string {
  const seconds = Math.floor(start / 60_000) === Math.floor(end / 60_000);
  const [startDate, startTime] = formatTimestamp(start).split(' ');
  const [endDate, endTime] = formatTimestamp(end).split(' ');
  const time = (t: string) => (seconds ? t : t.slice(0, 5));
  const nowDate = formatTimestamp(now).split(' ')[0];
  return `${startDate === nowDate ? '' : `${startDate} `}${time(startTime)}–${endDate === startDate ? '' : `${endDate} `}${time(endTime)}`;
}

/** "Serving taxi v3 · window 14:00–14:05 (1,000 rows): 2 of 9 fired", or why there is nothing to count. */
export function servingSummary(s: Pick<ServingDriftView, 'model' | 'version' | 'window'>, rows: readonly Pick<DriftRowView, 'fired'>[], now: number): string {
  const served = `Serving ${s.model}${s.version === null ? '' : ` v${s.version}`}`;
  if (!s.window) return `${served}: no served traffic checked yet`;
  const window = `${served} · window ${windowRange(s.window.start, s.window.end, now)} (${formatCount(s.window.rows)} rows)`;
  return rows.length ? `${window}: ${rows.filter((r) => r.fired).length} of ${rows.length} fired` : `${window}: drift not checked`;
}

/** The serving part of the view and its rows (the window's feature drift). */
export function servingDrift(m: ServedModel, now: number): { view: ServingDriftView; rows: DriftRowView[] } {
  const report = m.newestWindow?.report;
  const window: ServedWindowView | null = report
    ? { key: report.window.key, start: report.window.start, end: report.window.end, rows: report.window.rows, checkedAt: m.newestWindow!.checkedAt }
    : null;
  const version = report?.window.version ?? m.productionVersion;
  const rows = report ? toServingRows(report, now) : [];
  return {
    view: { model: m.model, version, window, summary: servingSummary({ model: m.model, version, window }, rows, now), notes: report?.notes ?? [] },
    rows,
  };
}

export interface DriftViewInput {
  pipeline: string;
  by: DriftView['chosenBy'];
  /** The pipeline's latest validation, when it has one. */
  validation: RunValidation | undefined;
  /** The pipeline's served model, when one was registered from it. */
  served: ServedModel | undefined;
  pipelines: string[];
  now: number;
}

export function toDriftView(input: DriftViewInput): DriftView {
  const { validation: v, served } = input;
  const serving = served && servingDrift(served, input.now);
  const span = v ? toDriftRows([...v.report.drift, ...v.report.skew]) : [];
  return {
    runId: v?.runId ?? null,
    pipeline: input.pipeline,
    pipelines: input.pipelines,
    chosenBy: input.by,
    startedAt: v?.startedAt ?? null,
    rows: orderDriftRows([...span, ...(serving?.rows ?? [])]),
    serving: serving?.view ?? null,
  };
}

/** The view's description: the pipeline, its run and what it serves. */
export function driftDescription(v: DriftView): string {
  const serving = v.serving && `serving ${v.serving.model}${v.serving.version === null ? '' : ` v${v.serving.version}`}`;
  return [v.pipeline, v.runId === null ? null : `run #${v.runId}`, serving].filter(Boolean).join(' · ');
}

/** The argument `mlops.compareDatasets` takes: the row's two datasets (current, reference). */
export function compareArgs(runId: number, row: Pick<DriftRowView, 'feature' | 'current' | 'reference'>) {
  return { runId, a: row.current, b: row.reference, feature: row.feature };
}

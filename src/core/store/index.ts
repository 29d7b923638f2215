import { listWindows, monitoredModels, recordWindow } from './monitorWindows';
import { claimAlertAction, finishAlertAction, getAlert, lastRetrain, listAlerts, recordAlert } from './alerts';
import { abandonArtifact, artifactIdsAt, createArtifact, linkArtifact, publishArtifact } from './artifacts';
import type { StoreContext } from './context';
import type { DriverInfo } from './driver/types';
import { getRunDetails } from './details';
import { isCorruption, translateStoreError } from './errors';
import { componentStatuses, finishExecution, findCachedExecution, runningExecutionIds, startExecution } from './executions';
import { lineageGraph } from './lineage';
import { listPipelines, listRuns } from './list';
import { MetricLogger, type MetricLoggerOptions } from './metricLogger';
import { logMetrics, metricHistory } from './metrics';
import { openStore, type OpenOptions } from './open';
import { asRecoveredExecution, asRecoveredRun, recoverInterrupted } from './recover';
import {
  aliasHistory,
  findModelVersion,
  getModel,
  getModelVersion,
  listModels,
  listModelVersions,
  modelVersionsOfRun,
  markVersionPushed,
  registerModelVersion,
  runsWithModels,
  setModelAlias,
  setVersionBlessing,
} from './registry';
import { liveWatcher, registerWatcher, unregisterWatcher, type WatcherRecord } from './watchers';
import { createRun, deleteRun, finishRun, getRun, reopenRun, setRunBackend } from './runs';
import { runFiles, storedContent, storeRunFiles } from './runFiles';
import { componentsWithUnknownInputs, recordedInputs } from './recordedInputs';
import { childRunCounts, getRuns, paramsOfRuns } from './runSets';
import { finalMetrics, metricKeys, metricPoints } from './series';
import { logParams, setTags } from './tracking';
import type { AliasChange, ModelRecord, ModelVersionRecord, NewModelVersion } from '../registry/types';
import type { ActionOutcome, AlertRecord, MonitorAction, NewAlert, StoredWindow, WindowReport } from '../monitor/types';
import type {
  ArtifactRecord,
  CachedExecution,
  ComponentStatus,
  EventRole,
  ExecutionRecord,
  FinalMetric,
  ExecutionStatus,
  LineageGraph,
  LineageQuery,
  MetricPoint,
  MetricRecord,
  MetricSeriesCursor,
  MetricSeriesPage,
  NewArtifact,
  NewRun,
  NewRunFile,
  PipelineRecord,
  RecordedInput,
  RunDetails,
  RunFileRecord,
  RunListPage,
  RunListQuery,
  RunRecord,
  RunStatus,
} from './types';

export * from './types';
export { MetricLogger, type MetricLoggerOptions } from './metricLogger';
export { storeExists, type OpenOptions } from './open';
export type { DriverInfo, DriverName } from './driver/types';
export { INTERRUPTED_MESSAGE } from './recover';
export { NOTIFY_DETAIL } from './alerts';
export type { WatcherRecord } from './watchers';

/**
 * The run store: one SQLite connection and every query the CLI and the extension make. A class
 * because it owns the connection (close() or dispose() it); the work lives in the modules it calls.
 * Every SQLite failure a user can cause (locked, corrupt, read-only) comes out as a UserError naming
 * the store file.
 */
export class RunStore {
  private readonly loggers = new Set<MetricLogger>();

  private constructor(private readonly ctx: StoreContext) {}

  /** Creates the folder and the store when missing (unless readonly) and migrates it to this version. */
  static open(path: string, options: OpenOptions = {}): RunStore {
    return new RunStore(openStore(path, options));
  }

  get path(): string {
    return this.ctx.path;
  }

  /** The SQLite driver and version this connection runs on. */
  get driver(): DriverInfo {
    return this.ctx.db.info;
  }

  createRun(run: NewRun): RunRecord {
    return this.guard(() => createRun(this.ctx, run));
  }

  finishRun(runId: number, status: Exclude<RunStatus, 'running'>, error?: string | null): void {
    this.guard(() => finishRun(this.ctx, runId, status, error));
  }

  /** Records which tfjs backend trained the run's model. */
  setRunBackend(runId: number, backend: string): void {
    this.guard(() => setRunBackend(this.ctx, runId, backend));
  }

  /** Makes an unfinished run running again under this process, for `mlops run --resume`. */
  reopenRun(runId: number): RunRecord {
    return this.guard(() => reopenRun(this.ctx, runId));
  }

  getRun(runId: number): RunRecord | undefined {
    return this.guard(() => {
      const run = getRun(this.ctx, runId);
      return run && this.asSeen(run);
    });
  }

  /** Returns the URIs of the artifacts deleted with the run, whose files the caller removes. */
  deleteRun(runId: number): string[] {
    return this.guard(() => deleteRun(this.ctx, runId));
  }

  /** Stores the files a run ran (pipeline file, step scripts), each content once across runs. */
  storeRunFiles(runId: number, files: readonly NewRunFile[]): void {
    this.guard(() => storeRunFiles(this.ctx, runId, files));
  }

  /** The files stored with a run, pipeline file first. */
  runFiles(runId: number): RunFileRecord[] {
    return this.guard(() => runFiles(this.ctx, runId));
  }

  /** A stored file's bytes by its `sha256:<hex>`. */
  storedContent(hash: string): Uint8Array | undefined {
    return this.guard(() => storedContent(this.ctx, hash));
  }

  /** The data files, declared step inputs and schema file a run's results depend on, as it found them. */
  componentsWithUnknownInputs(runId: number): string[] {
    return this.guard(() => componentsWithUnknownInputs(this.ctx, runId));
  }

  recordedInputs(runId: number): RecordedInput[] {
    return this.guard(() => recordedInputs(this.ctx, runId));
  }

  listRuns(query: RunListQuery = {}): RunListPage {
    return this.guard(() => {
      const page = listRuns(this.ctx, query);
      return { ...page, runs: page.runs.map((run) => this.asSeen(run)) };
    });
  }

  listPipelines(): PipelineRecord[] {
    return this.guard(() => listPipelines(this.ctx));
  }

  getRunDetails(runId: number): RunDetails | undefined {
    return this.guard(() => {
      const details = getRunDetails(this.ctx, runId);
      if (!details) return undefined;
      const run = this.asSeen(details.run);
      return { ...details, run, executions: details.executions.map((execution) => asRecoveredExecution(run, execution)) };
    });
  }

  componentStatuses(pipelineName: string): ComponentStatus[] {
    return this.guard(() => componentStatuses(this.ctx, pipelineName));
  }

  startExecution(runId: number, component: string, type: string, properties?: Record<string, unknown>, cacheKey?: string | null): ExecutionRecord {
    return this.guard(() => startExecution(this.ctx, runId, component, type, properties, cacheKey));
  }

  finishExecution(executionId: number, status: Exclude<ExecutionStatus, 'new' | 'running'>, error?: string | null): void {
    this.guard(() => finishExecution(this.ctx, executionId, status, error));
  }

  runningExecutionIds(): Set<number> {
    return this.guard(() => runningExecutionIds(this.ctx));
  }

  findCachedExecution(cacheKey: string): CachedExecution | undefined {
    return this.guard(() => findCachedExecution(this.ctx, cacheKey));
  }

  createArtifact(artifact: NewArtifact): ArtifactRecord {
    return this.guard(() => createArtifact(this.ctx, artifact));
  }

  publishArtifact(artifactId: number, content: { contentHash: string; sizeBytes: number }): ArtifactRecord {
    return this.guard(() => publishArtifact(this.ctx, artifactId, content));
  }

  abandonArtifact(artifactId: number): void {
    this.guard(() => abandonArtifact(this.ctx, artifactId));
  }

  linkArtifact(executionId: number, artifactId: number, role: EventRole, name: string): void {
    this.guard(() => linkArtifact(this.ctx, executionId, artifactId, role, name));
  }

  /** Ids of live artifacts at these locations, newest first (at most `limit`: lineage cuts its graph far sooner). */
  artifactIdsAt(uris: readonly string[], limit = 10_000): number[] {
    return this.guard(() => artifactIdsAt(this.ctx, uris, limit));
  }

  lineage(query: LineageQuery): LineageGraph {
    return this.guard(() => lineageGraph(this.ctx, query));
  }

  logParams(runId: number, params: Record<string, unknown>): void {
    this.guard(() => logParams(this.ctx, runId, params));
  }

  setTags(runId: number, tags: Record<string, string | null>): void {
    this.guard(() => setTags(this.ctx, runId, tags));
  }

  logMetrics(runId: number, executionId: number | null, points: readonly MetricPoint[]): void {
    this.guard(() => logMetrics(this.ctx, runId, executionId, points));
  }

  /** A buffered writer for training loops; the store flushes it on close. */
  metricLogger(runId: number, executionId: number | null, options?: MetricLoggerOptions): MetricLogger {
    const logger = new MetricLogger(
      (points) => this.logMetrics(runId, executionId, points),
      this.ctx.now,
      (closed) => this.loggers.delete(closed),
      options,
    );
    this.loggers.add(logger);
    return logger;
  }

  metricHistory(runId: number, key: string): MetricRecord[] {
    return this.guard(() => metricHistory(this.ctx, runId, key));
  }

  /** Every metric key a run has logged, sorted. */
  metricKeys(runId: number): string[] {
    return this.guard(() => metricKeys(this.ctx, runId));
  }

  /** Up to `limit` points of a key after `after` (from the start when null), in step order. */
  metricPoints(runId: number, key: string, after: MetricSeriesCursor | null = null, limit = 50_000): MetricSeriesPage {
    return this.guard(() => metricPoints(this.ctx, runId, key, after, limit));
  }

  /** The latest value of every key, per run, and whether the key is a curve. */
  finalMetrics(runIds: readonly number[]): Map<number, Record<string, FinalMetric>> {
    return this.guard(() => finalMetrics(this.ctx, runIds));
  }

  /** Several runs by id, in the order given; unknown ids are left out. */
  getRuns(runIds: readonly number[]): RunRecord[] {
    return this.guard(() => getRuns(this.ctx, runIds).map((run) => this.asSeen(run)));
  }

  paramsOfRuns(runIds: readonly number[]): Map<number, Record<string, string>> {
    return this.guard(() => paramsOfRuns(this.ctx, runIds));
  }

  /** Tuning trials per run, for the runs that have any. */
  childRunCounts(runIds: readonly number[]): Map<number, number> {
    return this.guard(() => childRunCounts(this.ctx, runIds));
  }

  /** Idempotent: the same model, run and weights hash give back the version registered before. */
  registerModelVersion(version: NewModelVersion): ModelVersionRecord {
    return this.guard(() => registerModelVersion(this.ctx, version));
  }

  /** The version registered from this package (a run whose train step was cached registers no new one). */
  findModelVersion(model: string, uri: string, weightsHash: string): ModelVersionRecord | undefined {
    return this.guard(() => findModelVersion(this.ctx, model, uri, weightsHash));
  }

  listModels(): ModelRecord[] {
    return this.guard(() => listModels(this.ctx));
  }

  getModel(name: string): ModelRecord | undefined {
    return this.guard(() => getModel(this.ctx, name));
  }

  /** Newest first; empty for an unknown model. */
  listModelVersions(model: string): ModelVersionRecord[] {
    return this.guard(() => listModelVersions(this.ctx, model));
  }

  /** The versions a run registered (usually one), newest first. */
  modelVersionsOfRun(runId: number): ModelVersionRecord[] {
    return this.guard(() => modelVersionsOfRun(this.ctx, runId));
  }

  getModelVersion(model: string, version: number): ModelVersionRecord | undefined {
    return this.guard(() => getModelVersion(this.ctx, model, version));
  }

  /** Sets (or with null removes) an alias and records the change; an unknown model or version is a UserError. */
  setModelAlias(model: string, alias: string, version: number | null, change: { reason: string; forced: boolean; rollback?: boolean }): AliasChange {
    return this.guard(() => setModelAlias(this.ctx, model, alias, version, change));
  }

  /** Newest first. */
  aliasHistory(model: string, alias?: string): AliasChange[] {
    return this.guard(() => aliasHistory(this.ctx, model, alias));
  }

  markVersionPushed(model: string, version: number, pushedTo: string, forced: boolean): ModelVersionRecord {
    return this.guard(() => markVersionPushed(this.ctx, model, version, pushedTo, forced));
  }

  setVersionBlessing(model: string, version: number, blessed: boolean, evaluationUri: string | null): ModelVersionRecord {
    return this.guard(() => setVersionBlessing(this.ctx, model, version, blessed, evaluationUri));
  }

  /** Ids of the newest runs that produced a model, newest first. */
  runsWithModels(limit = 10): number[] {
    return this.guard(() => runsWithModels(this.ctx, limit));
  }

  /** Stores a monitoring alert unless the same check of the same window raised it before; returns the stored one. `notify`: its notify action is done with it. */
  recordAlert(alert: NewAlert, options: { notify?: boolean } = {}): { alert: AlertRecord; created: boolean } {
    return this.guard(() => recordAlert(this.ctx, alert, options));
  }

  /** Newest first, with their actions; `afterId` for the alerts a watcher has not seen yet. */
  listAlerts(query: { model?: string; afterId?: number; limit?: number } = {}): AlertRecord[] {
    return this.guard(() => listAlerts(this.ctx, query));
  }

  getAlert(id: number): AlertRecord | undefined {
    return this.guard(() => getAlert(this.ctx, id));
  }

  /** True when the action had not been taken for this alert: the caller runs it, then finishes it. */
  claimAlertAction(alertId: number, action: MonitorAction, detail: string): boolean {
    return this.guard(() => claimAlertAction(this.ctx, alertId, action, detail));
  }

  finishAlertAction(alertId: number, action: MonitorAction, outcome: Exclude<ActionOutcome, 'started'>, detail: string, runId: number | null = null): void {
    this.guard(() => finishAlertAction(this.ctx, alertId, action, outcome, detail, runId));
  }

  /** Stores a checked window's report, replacing the one stored when the same window was checked before. */
  recordWindow(report: WindowReport): StoredWindow {
    return this.guard(() => recordWindow(this.ctx, report));
  }

  /** A model's newest checked windows (ending at or after `since`), oldest first. */
  listWindows(query: { model: string; since?: number; limit?: number }): StoredWindow[] {
    return this.guard(() => listWindows(this.ctx, query));
  }

  /** Models with checked windows. */
  monitoredModels(): string[] {
    return this.guard(() => monitoredModels(this.ctx));
  }

  /** The newest run a monitoring alert of this model started by retraining. */
  lastRetrain(model: string): { alertId: number; runId: number } | undefined {
    return this.guard(() => lastRetrain(this.ctx, model));
  }

  /** Registers this process as the `mlops watch` of a pipeline file (a live other one is a UserError). */
  registerWatcher(pipelineFile: string): WatcherRecord {
    return this.guard(() => registerWatcher(this.ctx, pipelineFile));
  }

  unregisterWatcher(pipelineFile: string): void {
    this.guard(() => unregisterWatcher(this.ctx, pipelineFile));
  }

  /** The running `mlops watch` of a pipeline file, if any. */
  liveWatcher(pipelineFile: string): WatcherRecord | undefined {
    return this.guard(() => liveWatcher(this.ctx, pipelineFile));
  }

  /** Called by the CLI at every start; returns the ids of the runs it marked interrupted. */
  recoverInterrupted(): number[] {
    return this.guard(() => recoverInterrupted(this.ctx));
  }

  /** SQLite's own consistency check, one problem a line; empty when the file is sound. */
  integrityCheck(): string[] {
    return this.guard(() => {
      try {
        const rows = this.ctx.db.prepare('PRAGMA integrity_check').column() as string[];
        const lines = rows.flatMap((row) => row.split('\n'));
        return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
      } catch (error) {
        // Damage can stop the check itself; that is its answer, not a failure to report one.
        if (isCorruption(error)) return [(error as Error).message];
        throw error;
      }
    });
  }

  /**
   * A token that changes whenever anything is committed, cheap enough to poll: data_version moves
   * when another connection (the CLI) commits, total_changes() when this one writes.
   */
  dataVersion(): string {
    return this.guard(() => {
      const others = this.ctx.pragma('data_version') as number;
      const own = this.ctx.statement('SELECT total_changes() AS n').get() as { n: number };
      return `${others}.${own.n}`;
    });
  }

  /** Flushes open metric loggers, then closes the connection; safe to call twice. */
  close(): void {
    if (!this.ctx.db.isOpen) return;
    let failure: unknown;
    for (const logger of [...this.loggers]) {
      try {
        logger.close();
      } catch (error) {
        failure ??= error;
      }
    }
    this.ctx.db.close();
    if (failure !== undefined) throw failure;
  }

  dispose(): void {
    this.close();
  }

  /** A writer recovers dead runs when it opens; a reader, which cannot, shows them as it would. */
  private asSeen(run: RunRecord): RunRecord {
    return this.ctx.readOnly ? asRecoveredRun(this.ctx, run) : run;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw translateStoreError(error, this.ctx.path, this.ctx.busyTimeoutMs);
    }
  }
}

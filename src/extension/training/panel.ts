import * as vscode from 'vscode';
import type { RunEvent } from '../../core/runner/events';
import type { RunRecord } from '../../core/store/types';
import { DEFAULT_SMOOTHING, isFromWebviewMessage, type FromWebviewMessage, type ToWebviewMessage, type TrainingView } from '../../shared/training';
import type { StoreService } from '../store/storeService';
import { type PageMessage, PanelHost, type ReadyMessage } from '../util/panelHost';
import { toCsv } from '../../core/util/csvText';
import { RunCurves } from './curves';
import { saveChart, saveExport } from '../util/export';

export interface TrainingPanelDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  /** Structured events of the runs started from this window: a `metric` event means new points. */
  runEvents: vscode.Event<RunEvent>;
}

/** What the tests (through the extension API) see of a panel. */
export interface TrainingPanelInfo {
  runId: number;
  title: string;
  visible: boolean;
  status: string | null;
  smoothing: number;
  charts: string[];
  /** Points read from the store per key (full resolution). */
  pointsRead: Record<string, number>;
  /** Messages sent: full views and incremental updates, and the points the last one carried. */
  views: number;
  updates: number;
  lastPointsSent: number;
  /** The webview's last report: points it draws per key. */
  rendered: { charts: number; points: Record<string, number>; logScale: boolean } | null;
  message: string | null;
}

export function trainingPanelTitle(runId: number): string {
  return `Training · Run #${runId}`;
}

/** New points are looked for at most this often (a burst of per-batch events becomes one read). */
const THROTTLE_MS = 100;
/**
 * While a shown run is training, the store's data version is checked this often, so a run started
 * outside this window (`mlops run` in a terminal) updates the chart within a second too; the check
 * is one PRAGMA and only a real commit makes anyone re-read.
 */
const LIVE_POLL_MS = 500;

/**
 * One run's training curves in an editor panel. The curves stay in memory (RunCurves), so every
 * update reads and sends only the points logged since; settings (smoothing, log scale) live in the
 * webview's state and survive hiding and reloads.
 */
export class TrainingPanel extends PanelHost<ToWebviewMessage, FromWebviewMessage> {
  private curves: RunCurves | undefined;
  private run: RunRecord | undefined;
  private queue: Promise<void> = Promise.resolve();
  private scheduled: NodeJS.Timeout | undefined;
  private livePoll: NodeJS.Timeout | undefined;
  private info = { views: 0, updates: 0, lastPointsSent: 0, rendered: null as TrainingPanelInfo['rendered'], message: null as string | null };

  constructor(
    panel: vscode.WebviewPanel,
    readonly runId: number,
    private readonly deps: TrainingPanelDeps,
  ) {
    super(panel, deps.extensionUri, trainingPanelTitle(runId), { isMessage: isFromWebviewMessage, log: deps.log });
    this.disposables.push(
      deps.store.onDidChange(() => this.schedule()),
      { dispose: () => (clearTimeout(this.scheduled), clearInterval(this.livePoll)) },
      deps.runEvents((e) => {
        if (e.runId === runId && (e.type === 'metric' || e.type === 'run-finished' || e.type === 'component-finished')) this.schedule();
      }),
    );
    this.showPage({ bundle: 'training', data: { 'run-id': String(runId) }, loading: 'Loading training curves…' });
  }

  snapshot(): TrainingPanelInfo {
    return {
      runId: this.runId,
      title: this.panel.title,
      visible: this.panel.visible,
      status: this.run?.status ?? null,
      smoothing: this.curves?.smoothing ?? DEFAULT_SMOOTHING,
      charts: this.curves?.charts().map((c) => c.id) ?? [],
      pointsRead: this.curves?.counts() ?? {},
      ...this.info,
    };
  }

  /** Something may have been logged: look soon, once for a burst (a hidden page gets it all on its next `ready`). */
  private schedule(): void {
    if (this.scheduled || !this.ready || !this.panel.visible || this.disposed) return;
    this.scheduled = setTimeout(() => {
      this.scheduled = undefined;
      this.enqueue(() => this.update());
    }, THROTTLE_MS);
  }

  /** One store read at a time, in order: an update must not interleave with a full send. */
  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(work)
      .catch((e) => this.deps.log.error(`training curves of run #${this.runId}: ${e instanceof Error ? (e.stack ?? e.message) : e}`));
  }

  protected visibilityChanged(): void {
    this.syncLivePoll();
  }

  private syncLivePoll(): void {
    const live = !this.disposed && this.panel.visible && this.run?.status === 'running';
    if (live && !this.livePoll) this.livePoll = setInterval(() => this.deps.store.check(), LIVE_POLL_MS);
    if (!live && this.livePoll) {
      clearInterval(this.livePoll);
      this.livePoll = undefined;
    }
  }

  /** Reads the run again; false (and the page told) when it is gone. */
  private readRun(): boolean {
    this.run = this.deps.store.read((s) => s.getRun(this.runId), undefined);
    this.syncLivePoll();
    if (this.run) return true;
    this.curves = undefined;
    this.info.message = `Run #${this.runId} is not in the store (deleted, or the store moved).`;
    void this.post({ type: 'notFound', payload: { runId: this.runId, message: this.info.message } });
    return false;
  }

  private curvesFor(smoothing: number): RunCurves {
    this.curves ??= new RunCurves(
      {
        keys: () => this.deps.store.read((s) => s.metricKeys(this.runId), []),
        points: (key, after, limit) =>
          this.deps.store.read((s) => s.metricPoints(this.runId, key, after, limit), { steps: [], values: [], cursor: after, done: true }),
      },
      smoothing,
    );
    return this.curves;
  }

  /** Everything, down-sampled: after `ready`, a smoothing change or new keys (a new chart). */
  private async sendView(smoothing?: number): Promise<void> {
    if (!this.readRun()) return;
    const curves = this.curvesFor(smoothing ?? DEFAULT_SMOOTHING);
    if (smoothing !== undefined && smoothing !== curves.smoothing) curves.setSmoothing(smoothing);
    await curves.read();
    if (!this.ready || this.disposed) return;
    const run = this.run!;
    const view: TrainingView = {
      runId: this.runId,
      pipeline: run.pipelineName,
      status: run.status,
      backend: run.tfjsBackend,
      parentRunId: run.parentRunId,
      smoothing: curves.smoothing,
      budget: curves.budget,
      charts: curves.charts(),
      series: curves.fullSeries(),
    };
    this.info.message = null;
    this.info.views++;
    this.info.lastPointsSent = view.series.reduce((n, s) => n + s.points.steps.length, 0);
    await this.post({ type: 'view', payload: view });
  }

  /** Only what is new since the last send. */
  private async update(): Promise<void> {
    if (!this.ready || this.disposed) return;
    const previousStatus = this.run?.status;
    if (!this.readRun()) return;
    if (!this.curves) return this.sendView();
    const { newKeys } = await this.curves.read();
    if (newKeys) return this.sendView(this.curves.smoothing);
    const series = this.curves.updates();
    if (!series.length && this.run!.status === previousStatus) return;
    this.info.updates++;
    this.info.lastPointsSent = series.reduce((n, s) => n + s.points.steps.length, 0);
    await this.post({ type: 'update', payload: { runId: this.runId, status: this.run!.status, series } });
  }

  protected get logName(): string {
    return `training curves of run #${this.runId}`;
  }

  protected pageReady({ payload }: ReadyMessage<FromWebviewMessage>): Promise<void> {
    return this.sendView(payload.smoothing ?? this.curves?.smoothing);
  }

  protected handle(message: PageMessage<FromWebviewMessage>): void {
    this.enqueue(() => this.handleInOrder(message));
  }

  private async handleInOrder(message: PageMessage<FromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'smoothing':
        return this.sendView(message.payload.smoothing);
      case 'exportChart': {
        const { chart, format, data } = message.payload;
        return saveChart(format, data, `run-${this.runId}-${chart}`, `the ${chart} chart of run #${this.runId}`, this.deps.log);
      }
      case 'exportCsv':
        return this.exportCsv(message.payload.chart);
      case 'rendered':
        this.info.rendered = message.payload;
        return;
    }
  }

  private async exportCsv(chartId: string): Promise<void> {
    const chart = this.curves?.charts().find((c) => c.id === chartId);
    if (!chart || !this.curves) return;
    const { header, rows } = this.curves.table(chart);
    const saved = await saveExport(
      `run-${this.runId}-${chartId}`,
      'csv',
      Buffer.from(toCsv(header, rows), 'utf8'),
      `Export the ${chartId} data of run #${this.runId} as CSV`,
    );
    if (saved) this.deps.log.info(`exported ${rows.length} rows of ${chartId} (run #${this.runId}) to ${saved.fsPath}`);
  }
}

import * as vscode from 'vscode';
import { isMonitoringFromWebviewMessage } from '../../shared/monitoring';
import type { MonitoringFromWebviewMessage, MonitoringToWebviewMessage, MonitoringView, RenderedMonitoring, TrafficPoint } from '../../shared/monitoring';
import type { ServingSource } from '../serving/source';
import type { StoreService } from '../store/storeService';
import { type PageMessage, PanelHost } from '../util/panelHost';
import { buildMonitoringView, servingInfoOf } from './collect';
import { MonitorSettingsReader, pipelineFileOf } from './settings';
import { COMMAND_SEND_TEST_REQUEST, COMMAND_START_SERVING, COMMAND_STOP_SERVING } from '../commandIds';

export interface MonitoringPanelDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  serving: ServingSource;
  openRun(runId: number): void;
}

/** What the tests (through the extension API) see of a panel. */
export interface MonitoringPanelInfo {
  model: string;
  title: string;
  visible: boolean;
  /** Full views sent, and what the last one held. */
  views: number;
  windows: number;
  alerts: number;
  traffic: number;
  /** Live points sent between views. */
  trafficSent: number;
  settings: string | null;
  message: string | null;
  rendered: RenderedMonitoring | null;
}

export function monitoringPanelTitle(model: string): string {
  return `Monitoring · ${model}`;
}

/** The serving commands (implemented with the serving controller), run for the page's buttons. */
export const SERVING_COMMANDS = {
  startServing: COMMAND_START_SERVING,
  stopServing: COMMAND_STOP_SERVING,
  sendTestRequest: COMMAND_SEND_TEST_REQUEST,
} as const;

/** Store changes come in bursts (a window's report, its alerts, their actions): look once they settle. */
const REFRESH_MS = 300;
/**
 * While this window serves the model, the store is looked at this often: the monitor beside the
 * server records windows from another process, which a file watcher may not report (see StoreService).
 */
const LIVE_POLL_MS = 2000;
/** The windows and alerts a view carries: the time series of the last days of a busy model. */
const WINDOW_LIMIT = 500;
const ALERT_LIMIT = 500;

/**
 * One registry model's monitoring in an editor panel: the live traffic of the server this window
 * runs, and the windows and alerts `mlops monitor` stored. The view is rebuilt from the store when
 * it changes; live traffic is appended point by point. What the user chose (features, metric)
 * lives in the page's state.
 */
export class MonitoringPanel extends PanelHost<MonitoringToWebviewMessage, MonitoringFromWebviewMessage> {
  /** The view last sent, without its traffic (which goes point by point). */
  private shown: string | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private livePoll: NodeJS.Timeout | undefined;
  private readonly settings = new MonitorSettingsReader();
  private info: Omit<MonitoringPanelInfo, 'model' | 'title' | 'visible'> = {
    views: 0,
    windows: 0,
    alerts: 0,
    traffic: 0,
    trafficSent: 0,
    settings: null,
    message: null,
    rendered: null,
  };

  constructor(
    panel: vscode.WebviewPanel,
    private current: string,
    private readonly deps: MonitoringPanelDeps,
    /** The page picked another model: the owner moves this panel to it (or reveals the one showing it). */
    private readonly onPickModel: (panel: MonitoringPanel, model: string) => void,
  ) {
    super(panel, deps.extensionUri, monitoringPanelTitle(current), { isMessage: isMonitoringFromWebviewMessage, log: deps.log });
    this.refreshOn([deps.store.onDidChange, deps.serving.onDidChangeStatus], () => this.refresh(), REFRESH_MS);
    this.disposables.push(
      deps.serving.onDidChangeStatus(() => this.syncLivePoll()),
      deps.serving.onDidTraffic((point) => this.traffic(point)),
      { dispose: () => clearInterval(this.livePoll) },
    );
    this.showPage({ bundle: 'monitoring', data: { model: current }, loading: 'Loading the monitoring…' });
    this.syncLivePoll();
  }

  get model(): string {
    return this.current;
  }

  /** Shows another model in this panel (the page reports `ready` again after the new view). */
  retarget(model: string): void {
    this.current = model;
    this.panel.title = monitoringPanelTitle(model);
    this.shown = undefined;
    this.info = { ...this.info, views: 0, windows: 0, alerts: 0, traffic: 0, trafficSent: 0, settings: null, message: null, rendered: null };
    this.syncLivePoll();
    this.refresh();
  }

  snapshot(): MonitoringPanelInfo {
    return { model: this.current, title: this.panel.title, visible: this.panel.visible, ...this.info };
  }

  private servesThisModel(): boolean {
    return this.deps.serving.status()?.model === this.current;
  }

  protected pageDiscarded(): void {
    this.shown = undefined;
    this.info.rendered = null;
  }

  protected visibilityChanged(): void {
    this.syncLivePoll();
  }

  private syncLivePoll(): void {
    const live = !this.disposed && this.panel.visible && this.servesThisModel();
    if (live && !this.livePoll) this.livePoll = setInterval(() => this.deps.store.check(), LIVE_POLL_MS);
    if (!live && this.livePoll) {
      clearInterval(this.livePoll);
      this.livePoll = undefined;
    }
  }

  private traffic(point: TrafficPoint): void {
    const status = this.deps.serving.status();
    if (!this.ready || !this.panel.visible || this.shown === undefined || status?.model !== this.current) return;
    const serving = servingInfoOf(status, this.current)!;
    this.info.trafficSent++;
    void this.post({ type: 'traffic', payload: { model: this.current, point, serving } });
  }

  /** One build at a time; a change during one asks for one more. */
  private refresh(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.send()
      .catch((e) => this.deps.log.error(`monitoring of ${this.current}: ${e instanceof Error ? (e.stack ?? e.message) : e}`))
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  private async send(): Promise<void> {
    if (!this.ready || this.disposed) return;
    const model = this.current;
    const { store, serving } = this.deps;
    if (!store.current()) {
      return this.empty('No run store yet. Run a pipeline with a `push:` section: its model is registered, then Start Serving it and send traffic.');
    }
    const read = store.read((s) => {
      const registered = s.getModel(model);
      return {
        models: [...s.listModels().map((m) => m.name), ...s.monitoredModels()],
        registered,
        windows: s.listWindows({ model, limit: WINDOW_LIMIT }),
        alerts: s.listAlerts({ model, limit: ALERT_LIMIT }),
      };
    }, undefined);
    if (!read) return this.empty('The run store cannot be read right now (see the MLOps log); the panel tries again when it changes.');
    const status = serving.status();
    const servingInfo = servingInfoOf(status, model);
    if (!read.registered && !read.windows.length && !read.alerts.length && !servingInfo) {
      return this.empty(
        `${model} is not in the model registry and has no monitored windows. Push a model (\`mlops push\`, or a pipeline's \`push:\` section), then Start Serving it.`,
      );
    }
    const production = read.registered?.aliases.production ?? null;
    const settings = await this.settingsOf(servingInfo?.version ?? production ?? read.registered?.latestVersion ?? null);
    if (!this.ready || this.disposed || model !== this.current) return;
    const view: MonitoringView = buildMonitoringView({
      model,
      models: read.models,
      production,
      serving: servingInfo,
      traffic: servingInfo ? serving.traffic() : [],
      windows: read.windows,
      alerts: read.alerts,
      settings,
    });
    const key = JSON.stringify({ ...view, traffic: undefined });
    if (key === this.shown) return;
    this.shown = key;
    this.info = {
      ...this.info,
      views: this.info.views + 1,
      windows: view.windows.length,
      alerts: view.alerts.length,
      traffic: view.traffic.length,
      settings,
      message: null,
    };
    await this.post({ type: 'view', payload: view });
  }

  /** The monitor settings of the version's pipeline; null (and a line in the log) when they cannot be read. */
  private async settingsOf(version: number | null): Promise<string | null> {
    if (version === null) return null;
    const located = this.deps.store.read((s) => pipelineFileOf(s, this.current, version), { reason: 'the store cannot be read' });
    const result = 'file' in located ? await this.settings.read(located.file) : located;
    if ('text' in result) return result.text;
    if (this.info.settings !== null || this.info.views === 0) this.deps.log.info(`monitoring of ${this.current}: no monitor settings shown: ${result.reason}`);
    return null;
  }

  private async empty(message: string): Promise<void> {
    if (this.info.message === message && this.shown === undefined) return;
    this.shown = undefined;
    this.info = { ...this.info, windows: 0, alerts: 0, traffic: 0, settings: null, message };
    await this.post({ type: 'empty', payload: { model: this.current, message } });
  }

  protected get logName(): string {
    return `monitoring of ${this.current}`;
  }

  protected pageReady(): void {
    this.info.message = null;
    this.syncLivePoll();
    this.refresh();
  }

  protected async handle(message: PageMessage<MonitoringFromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'pickModel':
        if (message.payload.model !== this.current) this.onPickModel(this, message.payload.model);
        return;
      case 'startServing':
      case 'stopServing':
      case 'sendTestRequest':
        await vscode.commands.executeCommand(SERVING_COMMANDS[message.type], { model: message.payload.model });
        return;
      case 'openRun':
        this.deps.openRun(message.payload.runId);
        return;
      case 'rendered':
        this.info.rendered = message.payload;
        return;
    }
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { saveChart } from '../util/export';
import type { StatisticsFile } from '../../core/stats/types';
import { isFromWebviewMessage, type FromWebviewMessage, type StatisticsView, type ToWebviewMessage } from '../../shared/statistics';
import type { StoreService } from '../store/storeService';
import { displayPath } from '../util/paths';
import { buildView, datasetChoices, defaultPair, featureDetail, findDataset, toCsv } from './collect';
import { type PageMessage, PanelHost, type ReadyMessage } from '../util/panelHost';
import { StatisticsFiles, statisticsArtifacts, statisticsFilePath } from './source';
import { errorMessage } from '../../core/util/errorMessage';

export interface StatisticsPanelDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  files: StatisticsFiles;
}

/** A dataset pair asked for by a command (Compare Datasets, a deep link from the drift panel). */
export interface Selection {
  a?: string;
  b?: string | null;
  feature?: string;
}

/** What the tests (through the extension API) see of a panel. */
export interface StatisticsPanelInfo {
  runId: number;
  title: string;
  visible: boolean;
  a: string | null;
  b: string | null;
  /** Size of the last view message, in characters of JSON. */
  payloadChars: number;
  /** Time to build the last view message (ms). */
  buildMs: number;
  features: number;
  /** The webview's last report after rendering: rows in the table and charts drawn so far. */
  rendered: { rows: number; charts: number; a: string; b: string | null } | null;
  message: string | null;
}

export function statisticsPanelTitle(runId: number): string {
  return `Statistics · Run #${runId}`;
}

const workspaceRoot = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

/**
 * One run's statistics in an editor panel. The webview asks (`ready`, `select`, `detail`), this
 * answers with view models built from the cached file. State lives in the webview (setState), so
 * hiding the panel costs nothing and a reload restores the same datasets, sort and filter.
 */
export class StatisticsPanel extends PanelHost<ToWebviewMessage, FromWebviewMessage> {
  private pending: Selection | undefined;
  private selection: { a: string; b: string | null } | undefined;
  private lastView: StatisticsView | undefined;
  private info: Omit<StatisticsPanelInfo, 'runId' | 'title' | 'visible'> = {
    a: null,
    b: null,
    payloadChars: 0,
    buildMs: 0,
    features: 0,
    rendered: null,
    message: null,
  };

  constructor(
    panel: vscode.WebviewPanel,
    readonly runId: number,
    private readonly deps: StatisticsPanelDeps,
    initial?: Selection,
  ) {
    super(panel, deps.extensionUri, statisticsPanelTitle(runId), { isMessage: isFromWebviewMessage, log: deps.log });
    this.pending = initial;
    this.disposables.push(
      // A run still running gets its statistics later: look again when the store changes.
      deps.store.onDidChange(() => {
        if (this.ready && !this.lastView) void this.send();
      }),
    );
    this.showPage({ bundle: 'statistics', data: { 'run-id': String(runId) }, loading: 'Loading statistics…' });
  }

  snapshot(): StatisticsPanelInfo {
    return { runId: this.runId, title: this.panel.title, visible: this.panel.visible, ...this.info };
  }

  /** Shows the panel, switching to the asked datasets (and feature) when given. */
  reveal(selection?: Selection): void {
    this.panel.reveal();
    if (selection && (selection.a || selection.feature)) {
      this.pending = selection;
      if (this.ready) void this.send();
    }
  }

  /** The run's statistics file, or a message for the user. */
  private async load(): Promise<{ file: StatisticsFile; pipeline: string; artifactPath: string } | { message: string }> {
    const details = this.deps.store.read((s) => s.getRunDetails(this.runId), undefined);
    if (!details) return { message: `Run #${this.runId} is not in the store (deleted, or the store moved).` };
    const [artifact] = statisticsArtifacts(details);
    if (!artifact) {
      return {
        message:
          details.run.status === 'running'
            ? `Run #${this.runId} has no statistics yet: they appear when its statistics component finishes.`
            : `Run #${this.runId} (${details.run.pipelineName}) has no Statistics artifact. Add a statistics component to the pipeline and run it.`,
      };
    }
    const file = statisticsFilePath(artifact.uri, workspaceRoot());
    try {
      return { file: await this.deps.files.read(file), pipeline: details.run.pipelineName, artifactPath: displayPath(path.dirname(file)) };
    } catch (e) {
      return { message: errorMessage(e) };
    }
  }

  private async send(): Promise<void> {
    const loaded = await this.load();
    if ('message' in loaded) {
      this.lastView = undefined;
      this.info.message = loaded.message;
      await this.post({ type: 'notFound', payload: { runId: this.runId, message: loaded.message } });
      return;
    }
    const { file } = loaded;
    const datasets = datasetChoices(file);
    const want = this.pending ?? this.selection;
    const focus = this.pending?.feature;
    this.pending = undefined;
    let a = want?.a && findDataset(file, want.a) ? want.a : undefined;
    let b = want?.b && findDataset(file, want.b) ? want.b : null;
    if (!a) ({ a, b } = defaultPair(datasets) ?? { a: '', b: null });
    if (!a) {
      this.info.message = 'The statistics file has no datasets.';
      await this.post({ type: 'notFound', payload: { runId: this.runId, message: `Run #${this.runId}: ${this.info.message}` } });
      return;
    }
    this.selection = { a, b };
    const t0 = performance.now();
    const view = buildView(file, a, b, { runId: this.runId, pipeline: loaded.pipeline, artifactPath: loaded.artifactPath }, focus);
    const payloadChars = JSON.stringify(view).length;
    this.info = {
      ...this.info,
      a,
      b: view.b,
      payloadChars,
      buildMs: performance.now() - t0,
      features: view.numeric.length + view.categorical.length,
      message: null,
    };
    this.lastView = view;
    // With a focus, the webview expands that row and asks for its detail itself.
    await this.post({ type: 'view', payload: view });
  }

  private async sendDetail(feature: string): Promise<void> {
    if (!this.selection) return;
    const loaded = await this.load();
    if ('message' in loaded) return;
    const detail = featureDetail(loaded.file, this.selection.a, this.selection.b, feature);
    if (detail) await this.post({ type: 'detail', payload: detail });
  }

  protected get logName(): string {
    return `statistics of run #${this.runId}`;
  }

  protected pageReady({ payload: { a, b } }: ReadyMessage<FromWebviewMessage>): Promise<void> {
    // A command's request wins over what the page restored; the page's choice over the default.
    if (!this.pending && a) this.selection = { a, b };
    return this.send();
  }

  protected async handle(message: PageMessage<FromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'select':
        this.selection = { a: message.payload.a, b: message.payload.b };
        await this.send();
        return;
      case 'detail':
        await this.sendDetail(message.payload.feature);
        return;
      case 'exportChart':
        return saveChart(message.payload.format, message.payload.data, message.payload.feature, `the chart of ${message.payload.feature}`, this.deps.log);
      case 'copyCsv': {
        if (!this.lastView) return;
        const csv = toCsv(this.lastView, message.payload.features);
        await vscode.env.clipboard.writeText(csv);
        const lines = csv.split('\n').length - 2;
        void vscode.window.showInformationMessage(`MLOps: copied ${lines} feature${lines === 1 ? '' : 's'} as CSV.`);
        return;
      }
      case 'rendered':
        this.info.rendered = message.payload;
        return;
    }
  }
}

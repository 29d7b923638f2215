import * as vscode from 'vscode';
import { isFromWebviewMessage } from '../../shared/compare';
import type { CompareSource, CompareView, CurvesData, FromWebviewMessage, RenderedCompare, ToWebviewMessage } from '../../shared/compare';
import type { CheckedRuns } from '../runs/checkedRuns';
import type { StoreService } from '../store/storeService';
import { type PageMessage, PanelHost } from '../util/panelHost';
import { saveChart, saveExport } from '../util/export';
import { compareCsv } from './collect';
import { readComparison, readCurves } from './read';

export interface ComparePanelDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  checkedRuns: CheckedRuns;
  openRun(runId: number): unknown;
}

/** What the tests (through the extension API) see of a panel. */
export interface ComparePanelInfo {
  source: CompareSource;
  title: string;
  visible: boolean;
  view: CompareView | null;
  message: string | null;
  /** Curves sent so far, by metric key: how many runs each carried. */
  curvesSent: Record<string, number>;
  rendered: RenderedCompare | null;
  /** The last CSV export (the text written), for tests. */
  lastCsv: string | null;
}

export function comparePanelTitle(source: CompareSource, runs?: number): string {
  switch (source.kind) {
    case 'checked':
      return runs === undefined ? 'Compare Runs' : `Compare Runs (${runs})`;
    case 'runs':
      return source.runIds.length <= 4 ? `Compare Runs ${source.runIds.map((id) => `#${id}`).join(', ')}` : `Compare ${source.runIds.length} Runs`;
    case 'trials':
      return `Trials · Run #${source.parentRunId}`;
  }
}

/** Store changes come in bursts while trials run: rebuild once they settle a little. */
const REFRESH_MS = 300;

/**
 * A comparison in an editor panel: the table, the plots and, on request, the curves of one metric
 * across the runs. A panel on the ticked runs follows the ticks; one on a tuning run's trials picks
 * up new trials as they finish.
 */
export class ComparePanel extends PanelHost<ToWebviewMessage, FromWebviewMessage> {
  private lastJson: string | undefined;
  private info: Omit<ComparePanelInfo, 'source' | 'title' | 'visible'> = { view: null, message: null, curvesSent: {}, rendered: null, lastCsv: null };

  constructor(
    panel: vscode.WebviewPanel,
    readonly source: CompareSource,
    private readonly deps: ComparePanelDeps,
  ) {
    super(panel, deps.extensionUri, comparePanelTitle(source), { isMessage: isFromWebviewMessage, log: deps.log });
    this.refreshOn(
      source.kind === 'checked' ? [deps.store.onDidChange, deps.checkedRuns.onDidChange] : [deps.store.onDidChange],
      () => this.refresh(),
      REFRESH_MS,
    );
    this.showPage({
      bundle: 'compare',
      data: { source: JSON.stringify(source) },
      loading: 'Loading the comparison…',
    });
  }

  snapshot(): ComparePanelInfo {
    return { source: this.source, title: this.panel.title, visible: this.panel.visible, ...this.info };
  }

  /** Builds the comparison and sends it when it differs from what the page shows. */
  private refresh(): void {
    if (!this.ready || this.disposed) return;
    const result = readComparison(this.deps.store, this.source, this.deps.checkedRuns.list());
    if ('message' in result) {
      this.info.view = null;
      this.info.message = result.message;
      this.lastJson = undefined;
      void this.post({ type: 'empty', payload: { source: this.source, message: result.message } });
      return;
    }
    const view = result.view;
    this.panel.title = comparePanelTitle(this.source, view.runs.length);
    view.title = this.panel.title;
    const json = JSON.stringify(view);
    if (json === this.lastJson) return;
    this.lastJson = json;
    this.info.view = view;
    this.info.message = null;
    this.info.curvesSent = {};
    void this.post({ type: 'view', payload: view });
  }

  /** The table as CSV through a save dialog: the given rows, else the page's current order and filter. */
  async exportCsv(runIds?: number[], onlyDiffering?: boolean): Promise<void> {
    const view = this.info.view;
    if (!view) {
      void vscode.window.showInformationMessage(`MLOps: ${this.info.message ?? 'the comparison is still loading.'}`);
      return;
    }
    const ids = runIds ?? this.info.rendered?.order ?? view.runs.map((r) => r.id);
    const csv = compareCsv(view, ids, onlyDiffering ?? this.info.rendered?.onlyDiffering ?? false);
    this.info.lastCsv = csv;
    const saved = await saveExport('compare-runs', 'csv', Buffer.from(csv, 'utf8'), 'Export the comparison as CSV');
    if (saved) this.deps.log.info(`exported the comparison of ${ids.length} runs to ${saved.fsPath}`);
  }

  private async sendCurves(key: string): Promise<void> {
    const view = this.info.view;
    if (!view) return;
    const curves: CurvesData = {
      key,
      runs: await readCurves(
        this.deps.store,
        view.runs.map((r) => r.id),
        key,
        view.curveBudget,
      ),
    };
    if (this.disposed || this.info.view !== view) return;
    this.info.curvesSent[key] = curves.runs.length;
    await this.post({ type: 'curves', payload: curves });
  }

  protected get logName(): string {
    return `compare panel`;
  }

  protected pageReady(): void {
    this.lastJson = undefined;
    this.refresh();
  }

  protected async handle(message: PageMessage<FromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'requestCurves':
        return this.sendCurves(message.payload.key);
      case 'exportCsv':
        return this.exportCsv(message.payload.runIds, message.payload.onlyDiffering);
      case 'exportChart': {
        const { chart, format, data } = message.payload;
        return saveChart(format, data, `compare-${chart}`, `the ${chart} chart`, this.deps.log);
      }
      case 'openRun':
        await this.deps.openRun(message.payload.runId);
        return;
      case 'rendered':
        this.info.rendered = message.payload;
        return;
    }
  }
}

import { parse as parseJson } from 'jsonc-parser';
import * as vscode from 'vscode';
import { isAnomaliesFromWebviewMessage, type AnomaliesFromWebviewMessage, type AnomaliesToWebviewMessage, type AnomaliesView } from '../../shared/anomalies';
import type { StoreService } from '../store/storeService';
import { debounce } from '../util/debounce';
import { displayPath } from '../util/paths';
import { applySchemaFix, currentText, revealSchemaEntry } from './apply';
import { sameAnomaliesView, toAnomaliesView } from './collect';
import { fixesFor } from './fixes';
import { type PageMessage, PanelHost } from '../util/panelHost';
import type { RunValidation } from './report';
import type { ValidationResults } from './results';
import { errorMessage } from '../../core/util/errorMessage';

export interface AnomaliesPanelDeps {
  store: StoreService;
  results: ValidationResults;
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
}

export function anomaliesPanelTitle(runId: number): string {
  return `Anomalies · Run #${runId}`;
}

/**
 * One run's anomalies in an editor panel. Like the run-details panel: data after `ready`, updates
 * while visible, catch-up when shown again; it also follows the schema file, so a fix applied here
 * or in the editor shows as applied.
 */
/** What an anomalies panel shows, for tests and "the current run" commands. */
export interface AnomaliesPanelInfo {
  runId: number;
  title: string;
  visible: boolean;
  view: AnomaliesView | undefined;
}

export class AnomaliesPanel extends PanelHost<AnomaliesToWebviewMessage, AnomaliesFromWebviewMessage> {
  private stale = false;
  private lastView: AnomaliesView | undefined;
  private validation: RunValidation | undefined;
  private readonly scheduleUpdate = debounce(() => void this.update(), 250);

  constructor(
    panel: vscode.WebviewPanel,
    readonly runId: number,
    private readonly deps: AnomaliesPanelDeps,
  ) {
    super(panel, deps.extensionUri, anomaliesPanelTitle(runId), { isMessage: isAnomaliesFromWebviewMessage, log: deps.log });
    this.disposables.push(
      this.scheduleUpdate,
      deps.store.onDidChange(() => this.scheduleUpdate()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && e.document.uri.fsPath === this.validation?.schemaFile) this.scheduleUpdate();
      }),
    );
    this.showPage({
      bundle: 'anomalies',
      data: { 'run-id': String(runId) },
      loading: 'Loading anomalies…',
    });
  }

  /** What the panel last sent (tests read it). */
  snapshot(): AnomaliesPanelInfo {
    return { runId: this.runId, title: this.panel.title, visible: this.panel.visible, view: this.view };
  }

  get view(): AnomaliesView | undefined {
    return this.lastView;
  }

  protected visibilityChanged(): void {
    if (this.panel.visible && this.stale) void this.update();
  }

  async update(): Promise<void> {
    if (!this.ready || !this.panel.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const v = await this.deps.results.forRun(this.runId);
    if (this.disposed) return;
    this.validation = v;
    if (!v) {
      this.lastView = undefined;
      const exists = this.deps.store.read((s) => s.getRun(this.runId), undefined);
      await this.post({
        type: 'notFound',
        payload: {
          runId: this.runId,
          message: exists
            ? `Run #${this.runId} has no anomalies report (it did not run validate, or its artifact is gone).`
            : `Run #${this.runId} is not in the store (deleted, or the store moved).`,
        },
      });
      return;
    }
    const view = toAnomaliesView(v, await this.schemaInfo(v));
    if (sameAnomaliesView(this.lastView, view)) return;
    this.lastView = view;
    await this.post({ type: 'anomalies', payload: view });
  }

  private async schemaInfo(v: RunValidation) {
    if (!v.schemaFile) return undefined;
    const text = await currentText(v.schemaFile).catch(() => undefined);
    const parsed: unknown = text === undefined ? undefined : parseJson(text);
    const features = (parsed as { features?: unknown } | undefined)?.features;
    return {
      display: displayPath(v.schemaFile),
      text,
      features: new Set(typeof features === 'object' && features ? Object.keys(features) : []),
    };
  }

  /** A fix or a jump the user asked for failed: they are told, not only the log. */
  protected handleFailed(e: unknown): void {
    const text = errorMessage(e);
    this.deps.log.warn(`${this.logName}: ${text}`);
    void vscode.window.showErrorMessage(`MLOps: ${text}`);
  }

  protected get logName(): string {
    return `anomalies of run #${this.runId}`;
  }

  protected pageReady(): Promise<void> {
    this.lastView = undefined;
    return this.update();
  }

  protected async handle(message: PageMessage<AnomaliesFromWebviewMessage>): Promise<void> {
    switch (message.type) {
      case 'goToSchema': {
        const v = this.validation;
        if (v) await revealSchemaEntry(v.schemaFile, v.pipelineFile, message.payload.feature);
        return;
      }
      case 'applyFix': {
        const v = this.validation;
        const anomaly = v?.report.anomalies[message.payload.anomaly];
        const fix = anomaly && fixesFor(anomaly, v.report)[message.payload.fix];
        if (!v?.schemaFile || !fix) return;
        await applySchemaFix(v.schemaFile, fix);
        await this.update();
        return;
      }
    }
  }
}

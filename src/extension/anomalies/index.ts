import * as vscode from 'vscode';
import { PIPELINE_GLOB } from '../pipelines/collect';
import type { StoreService } from '../store/storeService';
import { AnomalyCodeActions } from './codeActions';
import { AnomalyDiagnostics } from './diagnostics';
import { AnomaliesPanels } from './panels';
import { ValidationResults } from './results';

/**
 * The anomalies domain: validation results from the store, the panel, the Problems-view
 * diagnostics and their quick fixes. The Drift view reads the same `results`.
 */
export class Anomalies implements vscode.Disposable {
  readonly results: ValidationResults;
  readonly panels: AnomaliesPanels;
  readonly diagnostics: AnomalyDiagnostics;
  readonly codeActions: AnomalyCodeActions;
  private readonly disposables: vscode.Disposable[];

  constructor(deps: { store: StoreService; log: vscode.LogOutputChannel; extensionUri: vscode.Uri }) {
    this.results = new ValidationResults(deps.store, deps.log);
    this.panels = new AnomaliesPanels({ ...deps, results: this.results });
    this.diagnostics = new AnomalyDiagnostics(this.results, deps.log);
    this.codeActions = new AnomalyCodeActions(this.diagnostics);
    this.disposables = [
      this.results,
      this.panels,
      this.diagnostics,
      vscode.languages.registerCodeActionsProvider(
        [
          { scheme: 'file', language: 'json' },
          { scheme: 'file', language: 'jsonc' },
          { scheme: 'file', pattern: PIPELINE_GLOB },
        ],
        this.codeActions,
        AnomalyCodeActions.metadata,
      ),
    ];
  }

  /**
   * `mlops.showAnomalies`: a run id (a number, `{ runId }`, or a Runs-tree run node), else the
   * latest validation, asking which pipeline's when there are several.
   */
  async show(arg?: unknown): Promise<void> {
    const runId = runIdOf(arg);
    if (runId !== undefined) {
      this.panels.open(runId);
      return;
    }
    await this.results.ready;
    const latest = this.results.latest();
    if (latest.length === 0) {
      void vscode.window.showInformationMessage('MLOps: no run has validated data yet. Run a pipeline with a validate component first.');
      return;
    }
    const pick =
      latest.length === 1
        ? latest[0]
        : (
            await vscode.window.showQuickPick(
              latest.map((v) => {
                const errors = v.report.anomalies.filter((a) => a.severity === 'error').length;
                return { label: v.pipeline, description: `run #${v.runId} · ${v.report.anomalies.length} anomalies (${errors} errors)`, v };
              }),
              { ignoreFocusOut: true, title: 'Show Anomalies', placeHolder: 'Pipeline' },
            )
          )?.v;
    if (pick) this.panels.open(pick.runId);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function runIdOf(arg: unknown): number | undefined {
  if (typeof arg === 'number' && Number.isInteger(arg)) return arg;
  if (typeof arg === 'string' && /^\d+$/.test(arg)) return Number(arg);
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { runId?: unknown; run?: { id?: unknown } };
    if (Number.isInteger(o.runId)) return o.runId as number;
    if (Number.isInteger(o.run?.id)) return o.run!.id as number;
  }
  return undefined;
}

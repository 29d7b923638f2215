import * as vscode from 'vscode';
import { EVALUATION_VIEW_TYPE, isEvaluationState } from '../../shared/evaluation';
import { RunPanels } from '../util/runPanels';
import { EvaluationPanel, evaluationPanelTitle, type EvaluationPanelDeps, type EvaluationPanelInfo } from './panel';

/** Evaluation panels, one per run, restored after a reload. */
export class EvaluationPanels implements vscode.Disposable {
  private readonly panels: RunPanels<EvaluationPanel>;

  constructor(deps: EvaluationPanelDeps) {
    this.panels = new RunPanels({
      viewType: EVALUATION_VIEW_TYPE,
      kind: 'evaluation',
      title: evaluationPanelTitle,
      isState: isEvaluationState,
      create: (panel, runId) => new EvaluationPanel(panel, runId, deps),
      extensionUri: deps.extensionUri,
      log: deps.log,
    });
  }

  open(runId: number): void {
    this.panels.open(runId);
  }

  /** Open panels, for tests. */
  openPanels(): EvaluationPanelInfo[] {
    return this.panels.list().map((p) => p.snapshot());
  }

  dispose(): void {
    this.panels.dispose();
  }
}

import * as vscode from 'vscode';
import { ANOMALIES_VIEW_TYPE, isAnomaliesState } from '../../shared/anomalies';
import { RunPanels } from '../util/runPanels';
import { AnomaliesPanel, anomaliesPanelTitle, type AnomaliesPanelDeps } from './panel';

/** Anomalies panels, one per run, restored after a reload. */
export class AnomaliesPanels implements vscode.Disposable {
  private readonly panels: RunPanels<AnomaliesPanel>;

  constructor(deps: AnomaliesPanelDeps) {
    this.panels = new RunPanels({
      viewType: ANOMALIES_VIEW_TYPE,
      kind: 'anomalies',
      title: anomaliesPanelTitle,
      isState: isAnomaliesState,
      create: (panel, runId) => new AnomaliesPanel(panel, runId, deps),
      extensionUri: deps.extensionUri,
      log: deps.log,
    });
  }

  open(runId: number): void {
    this.panels.open(runId);
  }

  /** Open panels with what they last sent, for tests and "the current run" commands. */
  openPanels() {
    return this.panels.list().map((p) => ({ runId: p.runId, title: p.panel.title, visible: p.panel.visible, view: p.view }));
  }

  dispose(): void {
    this.panels.dispose();
  }
}

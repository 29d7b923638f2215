import * as vscode from 'vscode';
import { isRunDetailsState, RUN_DETAILS_VIEW_TYPE } from '../../shared/runDetails';
import { RunPanels } from '../util/runPanels';
import { RunDetailsPanel, runPanelTitle, type RunDetailsPanelDeps } from './panel';

/** Run-details panels, one per run, restored after a reload. */
export class RunDetailsPanels implements vscode.Disposable {
  private readonly panels: RunPanels<RunDetailsPanel>;

  constructor(deps: RunDetailsPanelDeps) {
    this.panels = new RunPanels({
      viewType: RUN_DETAILS_VIEW_TYPE,
      kind: 'run-details',
      title: runPanelTitle,
      isState: isRunDetailsState,
      create: (panel, runId) => new RunDetailsPanel(panel, runId, deps),
      extensionUri: deps.extensionUri,
      log: deps.log,
    });
  }

  async open(runId: number): Promise<void> {
    this.panels.open(runId);
  }

  /** Open panels, for tests and for commands acting on "the current run". */
  openPanels(): { runId: number; title: string; visible: boolean; active: boolean }[] {
    return this.panels.list().map((p) => ({ runId: p.runId, title: p.panel.title, visible: p.panel.visible, active: p.panel.active }));
  }

  dispose(): void {
    this.panels.dispose();
  }
}

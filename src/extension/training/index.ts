import * as vscode from 'vscode';
import { isTrainingState, TRAINING_VIEW_TYPE } from '../../shared/training';
import { RunPanels } from '../util/runPanels';
import { TrainingPanel, trainingPanelTitle, type TrainingPanelDeps, type TrainingPanelInfo } from './panel';

/** Training-curve panels, one per run, restored after a reload. */
export class TrainingPanels implements vscode.Disposable {
  private readonly panels: RunPanels<TrainingPanel>;

  constructor(deps: TrainingPanelDeps) {
    this.panels = new RunPanels({
      viewType: TRAINING_VIEW_TYPE,
      kind: 'training',
      title: trainingPanelTitle,
      isState: isTrainingState,
      create: (panel, runId) => new TrainingPanel(panel, runId, deps),
      extensionUri: deps.extensionUri,
      log: deps.log,
    });
  }

  open(runId: number): void {
    this.panels.open(runId);
  }

  /** Open panels, for tests. */
  openPanels(): TrainingPanelInfo[] {
    return this.panels.list().map((p) => p.snapshot());
  }

  dispose(): void {
    this.panels.dispose();
  }
}

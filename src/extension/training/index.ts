import { TRAINING_VIEW_TYPE } from '../../shared/training';
import { RunPanels } from '../util/runPanels';
import { TrainingPanel, trainingPanelTitle, type TrainingPanelDeps, type TrainingPanelInfo } from './panel';

/** Training-curve panels, one per run, restored after a reload. */
export class TrainingPanels extends RunPanels<TrainingPanel, TrainingPanelInfo> {
  constructor(deps: TrainingPanelDeps) {
    super(deps, {
      viewType: TRAINING_VIEW_TYPE,
      title: trainingPanelTitle,
      create: (panel, runId) => new TrainingPanel(panel, runId, deps),
    });
  }
}

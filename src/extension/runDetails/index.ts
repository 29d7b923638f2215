import { RUN_DETAILS_VIEW_TYPE } from '../../shared/runDetails';
import { RunPanels } from '../util/runPanels';
import { RunDetailsPanel, runPanelTitle, type RunDetailsPanelDeps, type RunDetailsPanelInfo } from './panel';

/** Run-details panels, one per run, restored after a reload. */
export class RunDetailsPanels extends RunPanels<RunDetailsPanel, RunDetailsPanelInfo> {
  constructor(deps: RunDetailsPanelDeps) {
    super(deps, {
      viewType: RUN_DETAILS_VIEW_TYPE,
      title: runPanelTitle,
      create: (panel, runId) => new RunDetailsPanel(panel, runId, deps),
    });
  }
}

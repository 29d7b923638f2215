import { ANOMALIES_VIEW_TYPE } from '../../shared/anomalies';
import { RunPanels } from '../util/runPanels';
import { AnomaliesPanel, anomaliesPanelTitle, type AnomaliesPanelDeps, type AnomaliesPanelInfo } from './panel';

/** Anomalies panels, one per run, restored after a reload. */
export class AnomaliesPanels extends RunPanels<AnomaliesPanel, AnomaliesPanelInfo> {
  constructor(deps: AnomaliesPanelDeps) {
    super(deps, {
      viewType: ANOMALIES_VIEW_TYPE,
      title: anomaliesPanelTitle,
      create: (panel, runId) => new AnomaliesPanel(panel, runId, deps),
    });
  }
}

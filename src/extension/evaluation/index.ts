import { EVALUATION_VIEW_TYPE } from '../../shared/evaluation';
import { RunPanels } from '../util/runPanels';
import { EvaluationPanel, evaluationPanelTitle, type EvaluationPanelDeps, type EvaluationPanelInfo } from './panel';

/** Evaluation panels, one per run, restored after a reload. */
export class EvaluationPanels extends RunPanels<EvaluationPanel, EvaluationPanelInfo> {
  constructor(deps: EvaluationPanelDeps) {
    super(deps, {
      viewType: EVALUATION_VIEW_TYPE,
      title: evaluationPanelTitle,
      create: (panel, runId) => new EvaluationPanel(panel, runId, deps),
    });
  }
}

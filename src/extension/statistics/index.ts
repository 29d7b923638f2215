import { STATISTICS_VIEW_TYPE } from '../../shared/statistics';
import { RunPanels } from '../util/runPanels';
import { StatisticsPanel, statisticsPanelTitle, type Selection, type StatisticsPanelDeps, type StatisticsPanelInfo } from './panel';

/** Statistics panels, one per run (opening it again switches to the asked datasets), restored after a reload. */
export class StatisticsPanels extends RunPanels<StatisticsPanel, StatisticsPanelInfo, Selection> {
  constructor(deps: StatisticsPanelDeps) {
    super(deps, {
      viewType: STATISTICS_VIEW_TYPE,
      title: statisticsPanelTitle,
      create: (panel, runId, selection) => new StatisticsPanel(panel, runId, deps, selection),
    });
  }
}

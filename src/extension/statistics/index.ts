import * as vscode from 'vscode';
import { isStatisticsState, STATISTICS_VIEW_TYPE } from '../../shared/statistics';
import { RunPanels } from '../util/runPanels';
import { StatisticsPanel, statisticsPanelTitle, type Selection, type StatisticsPanelDeps, type StatisticsPanelInfo } from './panel';

/** Statistics panels, one per run (opening it again switches to the asked datasets), restored after a reload. */
export class StatisticsPanels implements vscode.Disposable {
  private readonly panels: RunPanels<StatisticsPanel, Selection>;

  constructor(deps: StatisticsPanelDeps) {
    this.panels = new RunPanels({
      viewType: STATISTICS_VIEW_TYPE,
      kind: 'statistics',
      title: statisticsPanelTitle,
      isState: isStatisticsState,
      create: (panel, runId, selection) => new StatisticsPanel(panel, runId, deps, selection),
      extensionUri: deps.extensionUri,
      log: deps.log,
    });
  }

  open(runId: number, selection?: Selection): void {
    this.panels.open(runId, selection);
  }

  /** Open panels, for tests. */
  openPanels(): StatisticsPanelInfo[] {
    return this.panels.list().map((p) => p.snapshot());
  }

  dispose(): void {
    this.panels.dispose();
  }
}

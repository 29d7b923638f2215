import { isMonitoringState, MONITORING_VIEW_TYPE } from '../../shared/monitoring';
import { KeyedPanels } from '../util/keyedPanels';
import { MonitoringPanel, monitoringPanelTitle, type MonitoringPanelDeps, type MonitoringPanelInfo } from './panel';

export type { MonitoringPanelInfo };

/**
 * Monitoring panels, one per model: asking for a model again reveals its panel. Restored after a
 * reload from the model the page saved in its state.
 */
export class MonitoringPanels extends KeyedPanels<string, string, MonitoringPanel> {
  constructor(deps: MonitoringPanelDeps) {
    super(deps, {
      viewType: MONITORING_VIEW_TYPE,
      keyOf: (model) => model,
      title: monitoringPanelTitle,
      subjectOfState: (state) => (isMonitoringState(state) ? state.model : undefined),
      create: (panel, model) => new MonitoringPanel(panel, model, deps, (from, to) => this.retarget(from, to)),
    });
  }

  /** The page picked another model: reveal its panel when one is open, else show it in this one. */
  private retarget(panel: MonitoringPanel, model: string): void {
    const existing = this.get(model);
    if (existing) {
      existing.reveal();
      return;
    }
    panel.retarget(model);
    this.rekey(panel, model);
  }
}

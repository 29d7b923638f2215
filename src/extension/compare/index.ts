import { COMPARE_VIEW_TYPE, isCompareState, sourceKey, type CompareSource } from '../../shared/compare';
import { KeyedPanels } from '../util/keyedPanels';
import { ComparePanel, comparePanelTitle, type ComparePanelDeps } from './panel';

/**
 * Compare panels, one per source (the ticked runs, a fixed set, a tuning run's trials): asking for
 * the same comparison again reveals its panel. Restored after a reload from the source the page
 * saved in its state.
 */
export class ComparePanels extends KeyedPanels<CompareSource, string, ComparePanel> {
  constructor(deps: ComparePanelDeps) {
    super(deps, {
      viewType: COMPARE_VIEW_TYPE,
      keyOf: sourceKey,
      title: comparePanelTitle,
      subjectOfState: (state) => (isCompareState(state) ? state.source : undefined),
      create: (panel, source) => new ComparePanel(panel, source, deps),
    });
  }

  /** The compare panel in front (the focused one, else the only one open). */
  active(): ComparePanel | undefined {
    const all = this.list();
    return all.find((p) => p.panel.active) ?? (all.length === 1 ? all[0] : undefined);
  }
}

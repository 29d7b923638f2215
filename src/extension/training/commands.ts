import { runIdOf } from '../runs/commands';
import type { StoreService } from '../store/storeService';
import type { TrainingPanels } from './index';
import { pickRun } from '../runs/pickRun';

/** How many recent runs (tuning trials included) the picker looks through. */
const RECENT_RUNS = 200;

/** MLOps: Show Training Curves. */
export class TrainingCommands {
  constructor(
    private readonly panels: TrainingPanels,
    private readonly store: StoreService,
    /** The run of the focused run-details panel (the command's button in its title bar). */
    private readonly activeRunDetails: () => number | undefined,
  ) {}

  /** A run id or Runs-tree node; else the focused run-details panel's run; else a pick. */
  async show(arg?: unknown): Promise<void> {
    const runId = runIdOf(arg) ?? this.activeRunDetails() ?? (await this.pickRun());
    if (runId !== undefined) this.panels.open(runId);
  }

  /** Recent runs that logged metrics, and running ones (their curves appear as they log), newest first. */
  runsWithCurves(): { id: number; pipeline: string; status: string; startedAt: number; keys: number; parentRunId: number | null }[] {
    return this.store.read((s) => {
      const { runs } = s.listRuns({ parent: 'any', sort: 'id', order: 'desc', limit: RECENT_RUNS });
      return runs
        .map((r) => ({
          id: r.id,
          pipeline: r.pipelineName,
          status: r.status,
          startedAt: r.startedAt,
          keys: s.metricKeys(r.id).length,
          parentRunId: r.parentRunId,
        }))
        .filter((r) => r.keys > 0 || r.status === 'running');
    }, []);
  }

  private pickRun(): Promise<number | undefined> {
    const runs = this.runsWithCurves().map((r) => ({
      ...r,
      lead: r.parentRunId ? `trial of #${r.parentRunId}` : undefined,
      trail: r.status === 'running' && r.keys === 0 ? 'no metric yet' : `${r.keys} metric${r.keys === 1 ? '' : 's'}`,
    }));
    return pickRun(runs, {
      title: 'Show Training Curves',
      placeHolder: 'A run that logs metrics',
      empty: 'MLOps: no run has logged metrics yet. Curves appear as soon as a run trains.',
    });
  }
}

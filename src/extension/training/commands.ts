import { pickRun, RECENT_RUNS } from '../runs/pickRun';
import { ShowRunPanelCommand } from '../runs/showRunPanel';

/** MLOps: Show Training Curves. */
export class TrainingCommands extends ShowRunPanelCommand {
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

  protected pickRun(): Promise<number | undefined> {
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

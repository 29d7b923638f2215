import * as vscode from 'vscode';
import { runIdOf } from '../runs/commands';
import type { StoreService } from '../store/storeService';
import type { ComparePanels } from './index';
import { pickRun } from '../runs/pickRun';

/** How many recent runs the tuning-run picker looks through. */
const RECENT_RUNS = 200;

/** MLOps: Compare Runs and MLOps: Compare Trials. */
export class CompareCommands {
  constructor(
    private readonly panels: ComparePanels,
    private readonly store: StoreService,
  ) {}

  /**
   * Several runs selected in the tree (or run ids) compare those; otherwise the ticked runs, in a
   * panel that follows the ticks. `selected` is VS Code's multi-selection of a context-menu command.
   */
  compareRuns(arg?: unknown, selected?: unknown): void {
    const picked = (Array.isArray(selected) && selected.length ? selected : Array.isArray(arg) ? arg : [])
      .map(runIdOf)
      .filter((id): id is number => id !== undefined);
    const ids = [...new Set(picked)];
    this.panels.open(ids.length > 1 ? { kind: 'runs', runIds: ids } : { kind: 'checked' });
  }

  /** A tuning run (id or tree node), else a pick of the recent runs that have trials. */
  async compareTrials(arg?: unknown): Promise<void> {
    const runId = runIdOf(arg) ?? (await this.pickTuningRun());
    if (runId !== undefined) this.panels.open({ kind: 'trials', parentRunId: runId });
  }

  /** The focused comparison's table, as the page shows it, to a CSV file. */
  async exportComparison(): Promise<void> {
    const panel = this.panels.active();
    if (!panel) {
      void vscode.window.showInformationMessage('MLOps: open a comparison first (MLOps: Compare Runs).');
      return;
    }
    await panel.exportCsv();
  }

  /** Recent top-level runs with tuning trials, newest first. */
  tuningRuns(): { id: number; pipeline: string; status: string; startedAt: number; trials: number }[] {
    return this.store.read((s) => {
      const { runs } = s.listRuns({ sort: 'id', order: 'desc', limit: RECENT_RUNS });
      const counts = s.childRunCounts(runs.map((r) => r.id));
      return runs.flatMap((r) =>
        counts.has(r.id) ? [{ id: r.id, pipeline: r.pipelineName, status: r.status, startedAt: r.startedAt, trials: counts.get(r.id)! }] : [],
      );
    }, []);
  }

  private pickTuningRun(): Promise<number | undefined> {
    const runs = this.tuningRuns().map((r) => ({ ...r, lead: `${r.trials} trial${r.trials === 1 ? '' : 's'}` }));
    return pickRun(runs, {
      title: 'Compare Trials',
      placeHolder: 'A tuning run',
      empty: 'MLOps: no run has tuning trials. Add `train.tune` to a pipeline and run it.',
    });
  }
}

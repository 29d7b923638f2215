import * as vscode from 'vscode';
import { formatRelativeTime } from '../../shared/format';
import { runIdOf } from '../runs/commands';
import type { StoreService } from '../store/storeService';
import type { TrainingPanels } from './index';

export const COMMAND_SHOW_TRAINING = 'mlops.showTrainingCurves';

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

  /** Recent runs that logged metrics, running ones first, then newest. */
  runsWithCurves(): { id: number; pipeline: string; status: string; startedAt: number; keys: number; parentRunId: number | null }[] {
    return this.store.read((s) => {
      const { runs } = s.listRuns({ parent: 'any', sort: 'id', order: 'desc', limit: RECENT_RUNS });
      return runs
        .map((r) => ({ id: r.id, pipeline: r.pipelineName, status: r.status, startedAt: r.startedAt, keys: s.metricKeys(r.id).length, parentRunId: r.parentRunId }))
        .filter((r) => r.keys > 0)
        .sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running') || b.id - a.id);
    }, []);
  }

  private async pickRun(): Promise<number | undefined> {
    const runs = this.runsWithCurves();
    if (!runs.length) {
      void vscode.window.showInformationMessage('MLOps: no run has logged metrics yet. Curves appear as soon as a run trains.');
      return undefined;
    }
    const now = Date.now();
    const picked = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: `#${r.id}  ${r.pipeline}`,
        description: `${r.parentRunId ? `trial of #${r.parentRunId} · ` : ''}${r.status} · ${formatRelativeTime(r.startedAt, now)} · ${r.keys} metric${r.keys === 1 ? '' : 's'}`,
        runId: r.id,
      })),
      { title: 'Show Training Curves', placeHolder: 'A run that logged metrics', matchOnDescription: true },
    );
    return picked?.runId;
  }
}

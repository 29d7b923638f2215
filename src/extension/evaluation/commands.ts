import { runIdOf } from '../runs/commands';
import type { StoreService } from '../store/storeService';
import type { EvaluationPanels } from './index';
import { evaluationArtifact } from './source';
import { pickRun } from '../runs/pickRun';

/** How many recent runs the picker looks through. */
const RECENT_RUNS = 200;

/** MLOps: Show Evaluation. */
export class EvaluationCommands {
  constructor(
    private readonly panels: EvaluationPanels,
    private readonly store: StoreService,
    /** The run of the focused run-details panel. */
    private readonly activeRunDetails: () => number | undefined,
  ) {}

  /** A run id, a Runs-tree run or a Models-tree version; else the focused run-details panel's run; else a pick. */
  async show(arg?: unknown): Promise<void> {
    const runId = runIdOf(arg) ?? this.activeRunDetails() ?? (await this.pickRun());
    if (runId !== undefined) this.panels.open(runId);
  }

  /** Recent runs with an evaluation (running ones too: the panel follows them), newest first. */
  evaluatedRuns(): { id: number; pipeline: string; status: string; startedAt: number }[] {
    return this.store
      .read((s) => {
        const { runs } = s.listRuns({ sort: 'id', order: 'desc', limit: RECENT_RUNS });
        return runs.filter((r) => {
          const d = s.getRunDetails(r.id);
          return !!d && (r.status === 'running' || evaluationArtifact(d) !== undefined);
        });
      }, [])
      .map((r) => ({ id: r.id, pipeline: r.pipelineName, status: r.status, startedAt: r.startedAt }));
  }

  private pickRun(): Promise<number | undefined> {
    return pickRun(this.evaluatedRuns(), {
      title: 'Show Evaluation',
      placeHolder: 'A run that evaluated a model',
      empty: 'MLOps: no run has evaluated a model yet. Add an `evaluate:` section to a pipeline and run it.',
    });
  }
}

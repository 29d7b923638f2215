import { evaluationArtifact } from './source';
import { pickRun, recentRunsWith } from '../runs/pickRun';
import { ShowRunPanelCommand } from '../runs/showRunPanel';
import type { RunChoice } from '../runs/runChoices';

/** MLOps: Show Evaluation. */
export class EvaluationCommands extends ShowRunPanelCommand {
  /** Recent runs with an evaluation (running ones too: the panel follows them), newest first. */
  evaluatedRuns(): RunChoice[] {
    return recentRunsWith(this.store, (d, r) => r.status === 'running' || evaluationArtifact(d) !== undefined);
  }

  protected pickRun(): Promise<number | undefined> {
    return pickRun(this.evaluatedRuns(), {
      title: 'Show Evaluation',
      placeHolder: 'A run that evaluated a model',
      empty: 'MLOps: no run has evaluated a model yet. Add an `evaluate:` section to a pipeline and run it.',
    });
  }
}

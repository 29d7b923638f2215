import type { StoreService } from '../store/storeService';
import { runIdOf } from './commands';

/**
 * A run panel's Show command: for the run it is given (an id, a Runs-tree node, a Models-tree
 * version), else the focused run-details panel's run, else one the user picks.
 */
export abstract class ShowRunPanelCommand {
  constructor(
    private readonly panels: { open(runId: number): void },
    protected readonly store: StoreService,
    /** The run of the focused run-details panel (the command's button in its title bar). */
    private readonly focusedRun: () => number | undefined,
  ) {}

  async show(arg?: unknown): Promise<void> {
    const runId = runIdOf(arg) ?? this.focusedRun() ?? (await this.pickRun());
    if (runId !== undefined) this.panels.open(runId);
  }

  protected abstract pickRun(): Promise<number | undefined>;
}

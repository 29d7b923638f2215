import { vscodeApi, type VsCodeApi } from './vscodeApi';

/**
 * What a run's panel keeps with `setState` (it survives hiding and reloads): restored when it
 * belongs to the run the page shows (`data-run-id`, set by the extension), else started afresh for
 * that run; every change is saved at once.
 */
export class RunPageState<S extends { runId: number }> {
  private current: S;
  private readonly api: VsCodeApi<S> = vscodeApi<S>();

  /** `repair` drops parts a saved state from an older build may hold that no longer pass the contract. */
  constructor(isState: (v: unknown) => v is S, repair: (s: S) => S = (s) => s) {
    const saved = this.api.getState();
    const runId = Number(document.body.dataset.runId);
    this.current = isState(saved) && (!runId || saved.runId === runId) ? repair(saved) : ({ runId } as S);
    this.api.setState(this.current);
  }

  get state(): S {
    return this.current;
  }

  save(patch: Partial<S>): void {
    this.current = { ...this.current, ...patch };
    this.api.setState(this.current);
  }
}

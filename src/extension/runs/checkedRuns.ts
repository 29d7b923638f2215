import * as vscode from 'vscode';

const KEY = 'mlops.checkedRuns';

/** Runs ticked in the Runs tree, kept per workspace: the selection a comparison starts from. */
export class CheckedRuns implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChange = this._onDidChange.event;
  private readonly ids: Set<number>;

  constructor(private readonly state: vscode.Memento) {
    const saved = state.get<unknown>(KEY);
    this.ids = new Set(Array.isArray(saved) ? saved.filter((v): v is number => Number.isInteger(v)) : []);
  }

  has(runId: number): boolean {
    return this.ids.has(runId);
  }

  /** Checked run ids, oldest first (the order a comparison lists them in). */
  list(): number[] {
    return [...this.ids].sort((a, b) => a - b);
  }

  update(changes: Iterable<[number, boolean]>): void {
    let changed = false;
    for (const [id, checked] of changes) {
      if (checked === this.ids.has(id)) continue;
      if (checked) this.ids.add(id);
      else this.ids.delete(id);
      changed = true;
    }
    if (!changed) return;
    void this.state.update(KEY, this.list());
    this._onDidChange.fire();
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}

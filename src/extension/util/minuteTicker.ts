import * as vscode from 'vscode';

/**
 * Keeps relative times ("5 min ago") in tree rows true: calls `tick` once a minute while one of the
 * views is visible, and once as a hidden view is shown again. No timer runs while all are hidden.
 */
export class MinuteTicker implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly views: readonly Pick<vscode.TreeView<unknown>, 'visible' | 'onDidChangeVisibility'>[],
    private readonly tick: () => void,
    private readonly intervalMs = 60_000,
  ) {
    this.disposables = views.map((v) =>
      v.onDidChangeVisibility(({ visible }) => {
        if (visible) this.tick();
        this.sync();
      }),
    );
    this.sync();
  }

  private sync(): void {
    const anyVisible = this.views.some((v) => v.visible);
    if (anyVisible && !this.timer) this.timer = setInterval(this.tick, this.intervalMs);
    if (!anyVisible && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

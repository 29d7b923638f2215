import type * as vscode from 'vscode';
import { KeyedPanels, type KeyedPanel } from './keyedPanels';

/** A webview panel showing one run. */
export interface RunPanel<Option> extends KeyedPanel<Option> {
  readonly runId: number;
}

export interface RunPanelsOptions<P extends RunPanel<Option>, Option> {
  viewType: string;
  /** What the panel is, for the log: `run-details`, `statistics`, ... */
  kind: string;
  title(runId: number): string;
  /** The webview's saved state, which names the run it showed. */
  isState(state: unknown): state is { runId: number };
  create(panel: vscode.WebviewPanel, runId: number, option?: Option): P;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** One panel per run for a view type (run details, statistics, anomalies, evaluation, training). */
export class RunPanels<P extends RunPanel<Option>, Option = void> extends KeyedPanels<number, number, P, Option> {
  constructor(o: RunPanelsOptions<P, Option>) {
    super({ ...o, keyOf: (runId) => runId, subjectOfState: (state) => (o.isState(state) ? state.runId : undefined) });
  }
}

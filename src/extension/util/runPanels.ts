import type * as vscode from 'vscode';
import { isRunState } from '../../shared/contract';
import { KeyedPanels, type KeyedPanel, type PanelRegistryDeps } from './keyedPanels';

/** A webview panel showing one run; `snapshot` is what it last showed, for tests and commands. */
export interface RunPanel<Option, Info> extends KeyedPanel<Option> {
  readonly runId: number;
  snapshot(): Info;
}

export interface RunPanelsOptions<P, Option> {
  viewType: string;
  title(runId: number): string;
  create(panel: vscode.WebviewPanel, runId: number, option?: Option): P;
}

/**
 * One panel per run for a view type (run details, statistics, anomalies, evaluation, training): a
 * domain's registry is this with its view type, title, state check and panel class.
 */
export class RunPanels<P extends RunPanel<Option, Info>, Info, Option = void> extends KeyedPanels<number, number, P, Option> {
  constructor(deps: PanelRegistryDeps, o: RunPanelsOptions<P, Option>) {
    super(deps, { ...o, keyOf: (runId) => runId, subjectOfState: (state) => (isRunState(state) ? state.runId : undefined) });
  }
}

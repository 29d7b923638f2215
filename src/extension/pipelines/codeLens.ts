import * as vscode from 'vscode';
import { pipelineKeyLine } from './collect';
import type { DocumentParser } from './documentParser';
import { COMMAND_RUN_COMPONENT, COMMAND_RUN_PIPELINE } from '../commandIds';

/** Argument the component lens (and the Pipelines tree) passes to `mlops.runComponent`. */
export interface RunComponentArgs {
  uri: vscode.Uri;
  component: string;
}

/** `▶ Run pipeline` on the `pipeline:` line, `▶ Run <component>` above each component's section. */
export class PipelineCodeLensProvider implements vscode.CodeLensProvider {
  private readonly _onDidChangeCodeLenses = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this._onDidChangeCodeLenses.event;

  constructor(private readonly parser: DocumentParser) {}

  /** Trust was granted or the pipeline index changed. */
  refresh(): void {
    this._onDidChangeCodeLenses.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const parsed = this.parser.parse(document);
    const top = pipelineKeyLine(document.getText());
    const lenses = [
      new vscode.CodeLens(new vscode.Range(top, 0, top, 0), {
        title: '▶ Run pipeline',
        tooltip: 'Run every component of this pipeline as a task',
        command: COMMAND_RUN_PIPELINE,
        arguments: [document.uri],
      }),
    ];
    for (const c of parsed.components) {
      const line = Math.min(Math.max((c.location.line ?? 1) - 1, 0), document.lineCount - 1);
      const args: RunComponentArgs = { uri: document.uri, component: c.name };
      lenses.push(
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: `▶ Run ${c.name}`,
          tooltip: `Run ${c.name} (and the components it depends on) as a task`,
          command: COMMAND_RUN_COMPONENT,
          arguments: [args],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this._onDidChangeCodeLenses.dispose();
  }
}

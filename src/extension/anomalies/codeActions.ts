import * as vscode from 'vscode';
import { toWorkspaceEdit } from './apply';
import type { AnomalyDiagnostics } from './diagnostics';
import { fixTitle } from './fixes';
import { schemaFixEdits } from './schemaEdits';

/**
 * Quick fixes for the anomaly diagnostics: the same fixes as the anomalies panel, computed on the
 * schema document's current text when the menu opens.
 */
export class AnomalyCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: AnomalyDiagnostics) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const entries = this.diagnostics.entriesFor(document.uri);
    if (!entries.length) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== 'mlops') continue;
      // VS Code hands back copies of our diagnostics: match them by line, code and message.
      const entry = entries.find(
        (e) => e.diagnostic.range.start.line === d.range.start.line && e.diagnostic.code === codeOf(d) && e.diagnostic.message === d.message,
      );
      const schemaFile = entry?.validation.schemaFile;
      if (!entry || !schemaFile) continue;
      const schema = schemaFile === document.uri.fsPath ? document : await vscode.workspace.openTextDocument(vscode.Uri.file(schemaFile));
      for (const [i, fix] of entry.fixes.entries()) {
        let edits;
        try {
          edits = schemaFixEdits(schema.getText(), fix);
        } catch {
          continue; // the schema does not parse; its JSON errors come first
        }
        if (!edits.length) continue;
        const action = new vscode.CodeAction(fixTitle(fix), vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = toWorkspaceEdit(schema, edits);
        action.isPreferred = i === 0;
        actions.push(action);
      }
    }
    return actions;
  }
}

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

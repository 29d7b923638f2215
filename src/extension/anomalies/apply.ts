import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { fixTitle, type SchemaFix } from './fixes';
import { pipelineDataLocation, schemaEntryLocation } from './locate';
import { schemaFixEdits, type TextEdit } from './schemaEdits';

/** The schema's current text: the open document's (unsaved edits count), else the file's. */
export async function currentText(file: string): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  return open ? open.getText() : readFile(file, 'utf8');
}

/** Offsets of the pure edits → a WorkspaceEdit on the document (applied as one undo step). */
export function toWorkspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  }
  return edit;
}

/**
 * Applies a fix to the schema file and shows the changed line. The document is left unsaved, so the
 * user sees the change and one Undo reverts it; the next run reads the file once it is saved.
 */
export async function applySchemaFix(file: string, fix: SchemaFix): Promise<'applied' | 'already'> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const edits = schemaFixEdits(document.getText(), fix);
  if (edits.length === 0) return 'already';
  if (!(await vscode.workspace.applyEdit(toWorkspaceEdit(document, edits)))) throw new Error(`could not edit ${file}`);
  const at = document.positionAt(edits[0].offset);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at), preview: false });
  void vscode.window.setStatusBarMessage(`$(check) ${fixTitle(fix)}`, 5000);
  return 'applied';
}

/** Opens the schema file with the cursor on `features.<name>` (or the pipeline's `schema:` for the dataset). */
export async function revealSchemaEntry(schemaFile: string | undefined, pipelineFile: string, feature: string | null): Promise<void> {
  const useSchema = schemaFile !== undefined && (feature !== null || !(await pipelineFirst(pipelineFile)));
  const file = useSchema ? schemaFile : pipelineFile;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const text = document.getText();
  const loc = useSchema ? schemaEntryLocation(text, file, feature) : pipelineDataLocation(text, file);
  const line = Math.max((loc.line ?? 1) - 1, 0);
  const start = new vscode.Position(line, Math.max((loc.column ?? 1) - 1, 0));
  const end = loc.endLine === line + 1 && loc.endColumn ? new vscode.Position(line, loc.endColumn - 1) : start;
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end), preview: false });
}

/** Dataset-level anomalies belong to the pipeline's data; its file is shown when it exists. */
async function pipelineFirst(pipelineFile: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(pipelineFile));
    return true;
  } catch {
    return false;
  }
}

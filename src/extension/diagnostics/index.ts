import * as vscode from 'vscode';
import { dataProblems } from '../../core/data/preview';
import type { PipelineConfig } from '../../core/pipeline/config';
import type { Problem } from '../../core/util/problems';
import { KeyedDebouncer } from '../util/debounce';
import { isPipelineFile } from '../pipelines/collect';
import type { DocumentParser } from '../pipelines/documentParser';
import type { PipelineIndex } from '../pipelines/index';
import { suggestedEdit, toDiagnostics, type SuggestedEdit } from './convert';

const CHANGE_DEBOUNCE_MS = 300;

/**
 * Problems of pipeline files as diagnostics: open documents from their (unsaved) text, debounced
 * while typing and at once on open and save; other pipeline files of the workspace from the index
 * (the saved text), so the Problems view lists broken pipelines before anyone opens them. A problem
 * that knows the right spelling ("did you mean 'tips'?") offers it as a quick fix.
 */
export class PipelineDiagnostics implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('mlops');
  /** The quick fixes of the problems now shown, per document URI. */
  private readonly edits = new Map<string, SuggestedEdit[]>();
  private readonly pending = new KeyedDebouncer<string>(CHANGE_DEBOUNCE_MS);
  private readonly checked = new vscode.EventEmitter<vscode.Uri>();
  /** An open document's check finished, data columns included: its diagnostics are final for now. */
  readonly onDidCheckDocument = this.checked.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly index: PipelineIndex,
    private readonly parser: DocumentParser,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.collection,
      this.checked,
      this.pending,
      vscode.workspace.onDidOpenTextDocument((d) => this.updateDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isPipelineDocument(e.document) || e.contentChanges.length === 0) return;
        this.pending.schedule(e.document.uri.toString(), () => this.updateDocument(e.document));
      }),
      vscode.workspace.onDidSaveTextDocument((d) => this.updateDocument(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!isPipelineDocument(d)) return;
        this.pending.cancel(d.uri.toString());
        this.updateFromIndex(d.uri);
      }),
      index.onDidChange(() => this.updateAllFromIndex()),
      vscode.languages.registerCodeActionsProvider({ scheme: 'file', pattern: '**/*.pipeline.{yaml,yml,json}' }, this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.updateDocument(d);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
    this.edits.clear();
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return (this.edits.get(document.uri.toString()) ?? [])
      .filter((e) => e.diagnostic.intersection(range) ?? e.range.intersection(range))
      .filter((e) => document.getText(e.range) !== e.replacement)
      .map((e) => {
        const action = new vscode.CodeAction(`Change to '${e.replacement}'`, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, e.range, e.replacement);
        action.diagnostics = context.diagnostics.filter((d) => d.source === 'mlops' && d.range.isEqual(e.diagnostic));
        action.isPreferred = true;
        return action;
      });
  }

  private publish(uri: vscode.Uri, problems: readonly Problem[], text: string): void {
    this.collection.set(uri, toDiagnostics(problems, text));
    const lines = text.split(/\r?\n/);
    const edits = problems.flatMap((p) => suggestedEdit(p, lines) ?? []);
    if (edits.length) this.edits.set(uri.toString(), edits);
    else this.edits.delete(uri.toString());
  }

  private unpublish(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.edits.delete(uri.toString());
  }

  private updateDocument(document: vscode.TextDocument): void {
    if (!isPipelineDocument(document)) return;
    this.pending.cancel(document.uri.toString());
    try {
      const parsed = this.parser.parse(document);
      const text = document.getText();
      this.publish(document.uri, parsed.problems, text);
      if (parsed.config) {
        void this.addDataProblems(document, parsed.config, parsed.problems, text);
        return;
      }
    } catch (e) {
      // parsePipeline reports user mistakes as problems; an exception is a bug in the parser.
      this.log.error(`checking ${document.uri.fsPath} failed`, e instanceof Error ? e : String(e));
    }
    this.checked.fire(document.uri);
  }

  /** Column names checked against the data's first rows: async file reads, never blocking typing. */
  private async addDataProblems(document: vscode.TextDocument, config: PipelineConfig, problems: Problem[], text: string): Promise<void> {
    const version = document.version;
    const data = await dataProblems(config).catch((e: unknown) => {
      this.log.error(`checking the data of ${document.uri.fsPath} failed`, e instanceof Error ? e : String(e));
      return [];
    });
    if (document.isClosed || document.version !== version) return;
    if (data.length) this.publish(document.uri, [...problems, ...data], text);
    this.checked.fire(document.uri);
  }

  private updateFromIndex(uri: vscode.Uri): void {
    const entry = this.index.get(uri.fsPath);
    if (entry) this.publish(uri, entry.problems, entry.text);
    else this.unpublish(uri);
  }

  private updateAllFromIndex(): void {
    const open = new Set(vscode.workspace.textDocuments.filter(isPipelineDocument).map((d) => d.uri.fsPath));
    const known = new Set<string>();
    for (const entry of this.index.list()) {
      known.add(entry.file);
      if (!open.has(entry.file)) this.publish(vscode.Uri.file(entry.file), entry.problems, entry.text);
    }
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (!known.has(uri.fsPath) && !open.has(uri.fsPath)) stale.push(uri);
    });
    for (const uri of stale) this.unpublish(uri);
  }
}

function isPipelineDocument(d: vscode.TextDocument): boolean {
  return d.uri.scheme === 'file' && isPipelineFile(d.uri.fsPath);
}

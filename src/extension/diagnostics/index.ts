import * as vscode from 'vscode';
import { dataProblems } from '../../core/data/preview';
import type { PipelineConfig } from '../../core/pipeline/config';
import type { Problem } from '../../core/util/problems';
import { KeyedDebouncer } from '../util/debounce';
import { isPipelineFile } from '../pipelines/collect';
import type { DocumentParser } from '../pipelines/documentParser';
import type { PipelineIndex } from '../pipelines/index';
import { toDiagnostics } from './convert';

const CHANGE_DEBOUNCE_MS = 300;

/**
 * Problems of pipeline files as diagnostics: open documents from their (unsaved) text, debounced
 * while typing and at once on open and save; other pipeline files of the workspace from the index
 * (the saved text), so the Problems view lists broken pipelines before anyone opens them.
 */
export class PipelineDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mlops');
  private readonly pending = new KeyedDebouncer<string>(CHANGE_DEBOUNCE_MS);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly index: PipelineIndex,
    private readonly parser: DocumentParser,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.collection,
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
    );
    for (const d of vscode.workspace.textDocuments) this.updateDocument(d);
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private updateDocument(document: vscode.TextDocument): void {
    if (!isPipelineDocument(document)) return;
    this.pending.cancel(document.uri.toString());
    try {
      const parsed = this.parser.parse(document);
      const text = document.getText();
      this.collection.set(document.uri, toDiagnostics(parsed.problems, text));
      if (parsed.config) void this.addDataProblems(document, parsed.config, parsed.problems, text);
    } catch (e) {
      // parsePipeline reports user mistakes as problems; an exception is a bug in the parser.
      this.log.error(`checking ${document.uri.fsPath} failed`, e instanceof Error ? e : String(e));
    }
  }

  /** Column names checked against the data's first rows: async file reads, never blocking typing. */
  private async addDataProblems(document: vscode.TextDocument, config: PipelineConfig, problems: Problem[], text: string): Promise<void> {
    const version = document.version;
    const data = await dataProblems(config).catch((e: unknown) => {
      this.log.error(`checking the data of ${document.uri.fsPath} failed`, e instanceof Error ? e : String(e));
      return [];
    });
    if (data.length === 0 || document.isClosed || document.version !== version) return;
    this.collection.set(document.uri, toDiagnostics([...problems, ...data], text));
  }

  private updateFromIndex(uri: vscode.Uri): void {
    const entry = this.index.get(uri.fsPath);
    if (entry) this.collection.set(uri, toDiagnostics(entry.problems, entry.text));
    else this.collection.delete(uri);
  }

  private updateAllFromIndex(): void {
    const open = new Set(vscode.workspace.textDocuments.filter(isPipelineDocument).map((d) => d.uri.fsPath));
    const known = new Set<string>();
    for (const entry of this.index.list()) {
      known.add(entry.file);
      if (!open.has(entry.file)) this.collection.set(vscode.Uri.file(entry.file), toDiagnostics(entry.problems, entry.text));
    }
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (!known.has(uri.fsPath) && !open.has(uri.fsPath)) stale.push(uri);
    });
    for (const uri of stale) this.collection.delete(uri);
  }
}

function isPipelineDocument(d: vscode.TextDocument): boolean {
  return d.uri.scheme === 'file' && isPipelineFile(d.uri.fsPath);
}

import * as vscode from 'vscode';
import { parsePipeline, type ParsedPipeline } from '../../core/pipeline/load';

/**
 * Parses open pipeline documents once per version: CodeLens and diagnostics both ask for the same
 * document after every edit, and unsaved text is what they must reflect.
 */
export class DocumentParser implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; parsed: ParsedPipeline }>();
  private readonly subscription = vscode.workspace.onDidCloseTextDocument((d) => this.cache.delete(d.uri.toString()));

  parse(document: vscode.TextDocument): ParsedPipeline {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.parsed;
    const parsed = parsePipeline(document.getText(), document.uri.fsPath);
    this.cache.set(key, { version: document.version, parsed });
    return parsed;
  }

  dispose(): void {
    this.subscription.dispose();
    this.cache.clear();
  }
}

import * as vscode from 'vscode';

export const RESPONSE_SCHEME = 'mlops-response';
/** Enough for a session of test requests; older ones are read again as "no longer kept". */
const KEPT = 50;

/**
 * Test requests and their answers as read-only documents titled by what was sent
 * ("taxi v1 · serving.csv rows 1, 2 · HTTP 200.json"): not an unsaved Untitled-1 that asks to be
 * saved when the window closes.
 */
export class ResponseDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private next = 1;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This test request is no longer kept: send it again (MLOps: Send Test Request).\n';
  }

  /** Keeps `content` under a new URI whose file name is `title` (made safe for a path). */
  add(title: string, content: string): vscode.Uri {
    const name = title.replace(/[/\\:*?"<>|]+/g, '-');
    const uri = vscode.Uri.from({ scheme: RESPONSE_SCHEME, path: `/${name}.json`, query: String(this.next++) });
    this.contents.set(uri.toString(), content);
    if (this.contents.size > KEPT) this.contents.delete(this.contents.keys().next().value!);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The statistics webview loads its bundle and the codicons from dist/webview, nothing else. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
}

/**
 * The page: one nonce'd script, stylesheets from the extension only, no 'unsafe-inline' and no
 * 'unsafe-eval'. Vega runs with `ast: true` and the expression interpreter (no `new Function`);
 * vega-embed's injected <style> (defaultStyle) and vega-tooltip's are turned off and their rules
 * live in statistics.css. Vega sets positions through CSSOM, which the policy allows. PNG export
 * draws to a canvas and reads a data: URL, which needs no policy entry.
 */
export function statisticsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, runId: number, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('statistics.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body data-run-id="${runId}">
<main id="app" aria-live="polite"><p class="loading">Loading statistics…</p></main>
<script nonce="${nonce}" src="${asset('statistics.js')}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

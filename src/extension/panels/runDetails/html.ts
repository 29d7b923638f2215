import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Folders a run-details webview may load from: the built bundles and the extension's media. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * The page: one nonce'd script, stylesheets from the extension only. No inline style or script
 * anywhere, so the policy needs neither 'unsafe-inline' nor 'unsafe-eval'; the elements' own styles
 * are constructable stylesheets (adoptedStyleSheets), which the policy does not restrict.
 */
export function runDetailsHtml(webview: vscode.Webview, extensionUri: vscode.Uri, runId: number, title: string): string {
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
<link rel="stylesheet" href="${asset('run-details.css')}">
<title>${escapeHtml(title)}</title>
</head>
<body data-run-id="${runId}">
<main id="app" aria-live="polite"><p class="loading">Loading run…</p></main>
<script nonce="${nonce}" src="${asset('run-details.js')}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

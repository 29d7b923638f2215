import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Folders every webview may load from: the built bundles (and the codicons beside them) only. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')];
}

/**
 * The page of every panel and view: one of the bundles in dist/webview (`<bundle>.js` +
 * `<bundle>.css`), one nonce'd module script (the chunks it imports inherit its nonce), stylesheets from the extension only, no inline style or
 * script, so the policy needs neither 'unsafe-inline' nor 'unsafe-eval': the elements' styles are
 * constructable stylesheets, and vega runs with `ast: true` and the expression interpreter (no
 * `new Function`), its injected <style>s turned off and their rules in the bundle's CSS.
 */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  o: { bundle: string; title: string; data?: Record<string, string>; loading: string },
): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  const data = Object.entries(o.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset(`${o.bundle}.css`)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body${data}>
<main id="app" aria-live="polite"><p class="loading">${escapeHtml(o.loading)}</p></main>
<script type="module" nonce="${nonce}" src="${asset(`${o.bundle}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

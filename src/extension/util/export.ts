import * as vscode from 'vscode';

/**
 * Saving what a panel exports (a chart as SVG or PNG, data as CSV) through a save dialog. The webview
 * cannot write files; it sends the rendered image and the extension checks it is what it claims.
 */

/**
 * Saves a chart a page exported, as `name`.svg/.png where the user picks, and logs where it went.
 * `what` names the chart for the dialog and the log ("the loss chart of run #3").
 */
export async function saveChart(format: 'svg' | 'png', data: string, name: string, what: string, log: vscode.LogOutputChannel): Promise<void> {
  const bytes = chartBytes(format, data);
  if (!bytes) return log.warn(`chart export: not a ${format.toUpperCase()} image`);
  const saved = await saveExport(name, format, bytes, `Export ${what}`);
  if (saved) log.info(`exported ${what} to ${saved.fsPath}`);
}

/** The bytes of an exported chart, or undefined when the data is not the claimed format. */
function chartBytes(format: 'svg' | 'png', data: string): Uint8Array | undefined {
  if (format === 'svg') return data.trimStart().startsWith('<svg') ? Buffer.from(data, 'utf8') : undefined;
  const prefix = 'data:image/png;base64,';
  return data.startsWith(prefix) ? Buffer.from(data.slice(prefix.length), 'base64') : undefined;
}

const FILTERS: Record<'svg' | 'png' | 'csv', Record<string, string[]>> = {
  svg: { 'SVG image': ['svg'] },
  png: { 'PNG image': ['png'] },
  csv: { 'CSV (comma-separated values)': ['csv'] },
};

/** Asks where to save (suggesting `name` in the workspace folder) and writes; returns the file, if saved. */
export async function saveExport(name: string, format: keyof typeof FILTERS, bytes: Uint8Array, title: string): Promise<vscode.Uri | undefined> {
  const safe = name.replace(/[^\w.-]+/g, '_') || 'export';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title,
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${safe}.${format}`) : undefined,
    filters: FILTERS[format],
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

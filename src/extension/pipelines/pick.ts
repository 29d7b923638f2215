import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PipelineEntry } from './collect';

/** Asks for a pipeline when there are several; the only one is taken without asking. */
export async function pickPipeline(entries: PipelineEntry[], title: string): Promise<PipelineEntry | undefined> {
  if (entries.length === 0) {
    void vscode.window.showInformationMessage('MLOps: no pipeline files (*.pipeline.yaml, *.pipeline.yml, *.pipeline.json) in this workspace.');
    return undefined;
  }
  if (entries.length === 1) return entries[0];
  const picked = await vscode.window.showQuickPick(
    // One line per item (no `detail`): short lists read faster, and UI tests address rows by label.
    entries.map((entry) => ({
      label: entry.name,
      description: `${entry.relativePath} · ${entry.hasErrors ? '$(error) has problems' : entry.components.map((c) => c.name).join(' → ')}`,
      entry,
    })),
    { ignoreFocusOut: true, title, placeHolder: 'Pipeline', matchOnDescription: true },
  );
  return picked?.entry;
}

export async function pickComponent(entry: PipelineEntry): Promise<string | undefined> {
  if (entry.components.length === 0) {
    void vscode.window.showInformationMessage(`MLOps: ${path.basename(entry.file)} declares no components.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    entry.components.map((c) => ({
      label: c.name,
      description: c.dependsOn.length ? `${c.type} · after ${c.dependsOn.join(', ')}` : c.type,
    })),
    { ignoreFocusOut: true, title: `Run Component of ${entry.name}`, placeHolder: 'Component' },
  );
  return picked?.label;
}

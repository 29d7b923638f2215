import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { EXTENSION_ID, ensureCompletedRun, extensionApi, runsInTree, waitFor, workspaceFolder } from '../helpers';

function webviewTabs(label: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === label && t.input instanceof vscode.TabInputWebview);
}

suite('runs', () => {
  suiteSetup(() => extensionApi());

  test('a run row has Parameters, Metrics and Artifacts', async () => {
    const api = await extensionApi();
    const run = await ensureCompletedRun(api);
    const sections = api.runsTree.getChildren({ kind: 'run', run });
    assert.deepEqual(
      sections.map((s) => (s.kind === 'section' ? s.section : s.kind)),
      ['params', 'metrics', 'artifacts'],
    );
    const metrics = sections.find((s) => s.kind === 'section' && s.section === 'metrics')!;
    const keys = api.runsTree.getChildren(metrics).map((m) => (m.kind === 'metric' ? m.metric.key : '?'));
    assert.ok(keys.includes('rows'), `metrics: ${keys.join(', ')}`);
  });

  test('Artifacts lists each artifact once with an id of its own, however many components read it', async () => {
    const api = await extensionApi();
    const run = await ensureCompletedRun(api);
    const sections = api.runsTree.getChildren({ kind: 'run', run });
    const artifactsSection = sections.find((s) => s.kind === 'section' && s.section === 'artifacts')!;
    const rows = api.runsTree.getChildren(artifactsSection);
    const ids = rows.map((r) => api.runsTree.getTreeItem(r).id);
    assert.equal(new Set(ids).size, ids.length, `duplicate tree ids: ${ids.join(', ')}`);
    const examples = rows.find((r) => r.kind === 'artifact' && r.artifact.type === 'Examples');
    assert.ok(
      examples?.kind === 'artifact' && examples.producer === 'ingest' && examples.consumers.includes('report'),
      `the examples row: ${JSON.stringify(examples)}`,
    );
  });

  test('Open Run opens the run-details panel titled with the run, once per run', async () => {
    const api = await extensionApi();
    const run = await ensureCompletedRun(api);
    const title = `Run #${run.id}`;
    await vscode.commands.executeCommand('mlops.openRun', run.id);
    await waitFor(() => api.runDetails.openPanels().find((p) => p.runId === run.id && p.title === title), 'the panel');
    await waitFor(() => webviewTabs(title).length === 1, `a webview tab '${title}'`);
    // Opening it again reveals the same panel.
    await vscode.commands.executeCommand('mlops.openRun', run.id);
    assert.equal(api.runDetails.openPanels().filter((p) => p.runId === run.id).length, 1);
    assert.equal(webviewTabs(title).length, 1);
    await vscode.window.tabGroups.close(webviewTabs(title));
    await waitFor(() => !api.runDetails.openPanels().some((p) => p.runId === run.id), 'the panel to close');
  });

  test('checked runs are remembered', async () => {
    const api = await extensionApi();
    const run = await ensureCompletedRun(api);
    api.checkedRuns.update([[run.id, true]]);
    const item = api.runsTree.getTreeItem({ kind: 'run', run });
    const state = typeof item.checkboxState === 'object' ? item.checkboxState.state : item.checkboxState;
    assert.equal(state, vscode.TreeItemCheckboxState.Checked);
    api.checkedRuns.update([[run.id, false]]);
  });

  test('a run made outside the editor (mlops in a shell) is noticed through the store watcher', async () => {
    const api = await extensionApi();
    await ensureCompletedRun(api);
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    const before = new Set((await runsInTree(api, 'tiny')).map((r) => r.id));
    let changes = 0;
    const sub = api.store.onDidChange(() => changes++);
    try {
      await promisify(execFile)(process.execPath, [cli, 'run', 'tiny.pipeline.yaml', '--component', 'ingest', '--store', api.store.path!], {
        cwd: workspaceFolder().uri.fsPath,
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
      // No explicit check(): the file watcher on store.sqlite* must bring the change in. Another
      // process (a monitor an earlier suite started) may change the store first: wait for the run.
      await waitFor(
        async () => changes > 0 && (await runsInTree(api, 'tiny')).some((r) => !before.has(r.id)),
        'the new run through a store change event',
        10_000,
      );
    } finally {
      sub.dispose();
    }
    const fresh = (await runsInTree(api, 'tiny')).filter((r) => !before.has(r.id));
    assert.equal(fresh.length, 1);
    assert.equal(fresh[0].component, 'ingest');
  });

  test("Delete Run removes the run and its stored artifacts, never the user's files", async () => {
    const api = await extensionApi();
    const runs = await runsInTree(api, 'tiny');
    const victim = runs.find((r) => r.status === 'complete' && r.component === null) ?? runs.at(-1)!;
    const details = api.store.read((s) => s.getRunDetails(victim.id), undefined);
    assert.ok(details, 'the run has details');
    const storeFolder = path.dirname(api.store.path!);
    const inStore = details.artifacts.map((a) => a.uri).filter((u) => u.startsWith(storeFolder + path.sep));
    const userFiles = details.artifacts.map((a) => a.uri).filter((u) => !u.startsWith(storeFolder + path.sep));
    assert.ok(
      userFiles.some((u) => u.endsWith(path.join('data', 'train.csv'))),
      `the input data is an artifact: ${userFiles.join(', ')}`,
    );
    // Answer the modal confirmation (the extension shares this `vscode` API object).
    const original = vscode.window.showWarningMessage;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (...args: unknown[]) =>
      (args[1] as vscode.MessageOptions | undefined)?.modal ? 'Delete' : undefined;
    try {
      await vscode.commands.executeCommand('mlops.deleteRun', victim.id);
    } finally {
      (vscode.window as { showWarningMessage: unknown }).showWarningMessage = original;
    }
    await waitFor(async () => !(await runsInTree(api, 'tiny')).some((r) => r.id === victim.id), 'the run to leave the tree');
    assert.equal(
      api.store.read((s) => s.getRun(victim.id), undefined),
      undefined,
    );
    for (const f of userFiles) assert.ok(fs.existsSync(f), `${f} (a user file) is kept`);
    // Stored artifacts no remaining run refers to are gone.
    const remaining = new Set(
      (await runsInTree(api, 'tiny')).flatMap((r) => api.store.read((s) => s.getRunDetails(r.id), undefined)?.artifacts.map((a) => a.uri) ?? []),
    );
    for (const f of inStore.filter((u) => !remaining.has(u))) assert.ok(!fs.existsSync(f), `${f} was deleted`);
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store';
import type { TrainingPanelInfo } from '../../../src/extension/training/panel';
import { addTrainingRun, BATCHES_PER_EPOCH, epochPoints } from '../../fixtures/training/generate';
import { EXTENSION_ID, extensionApi, waitFor, workspaceFolder, waitForPanel } from '../helpers';

/**
 * A webview boots in a browser shared with the rest of the workbench: generous, it is no timing test.
 * In code-server a new webview sometimes waits ~30 s for its service worker ("Waiting for
 * controllerchange"), so a test that opens several gets more than Mocha's default minute.
 */
const WEBVIEW_TEST_MS = 150_000;

async function closeTrainingTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Training · '));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

async function panelOf(runId: number, ready: (p: TrainingPanelInfo) => boolean, what: string): Promise<TrainingPanelInfo> {
  const api = await extensionApi();
  return waitForPanel(() => api.training.openPanels().find((p) => p.runId === runId), ready, what);
}

suite('training: panel', () => {
  let storeFile: string;
  let store: RunStore;
  let finished: number;
  let big: number;

  suiteSetup(async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    storeFile = path.join(workspaceFolder().uri.fsPath, '.mlops', 'store.sqlite');
    await waitFor(() => api.store.path === storeFile, `the store at ${storeFile} (now ${api.store.path})`);
    // This connection stays open for the suite: the "trainer" of the live test writes through it.
    store = RunStore.open(storeFile);
    finished = addTrainingRun(store, { pipeline: 'curves', epochs: 8 });
    big = addTrainingRun(store, { pipeline: 'curves-big', epochs: 0 });
    const t0 = Date.now();
    for (let page = 0; page < 10; page++) {
      store.logMetrics(
        big,
        null,
        Array.from({ length: 10_000 }, (_, i) => {
          const step = page * 10_000 + i + 1;
          return { key: 'batch_loss', step, value: 1 / Math.sqrt(step) + 0.01 * Math.sin(step) };
        }),
      );
    }
    // One spike and one dip the down-sampled chart must still show.
    store.logMetrics(big, null, [
      { key: 'batch_loss', step: 33_333, value: 25 },
      { key: 'batch_loss', step: 77_777, value: -1 },
    ]);
    store.finishRun(big, 'complete');
    console.log(`      (wrote 100,002 points in ${Date.now() - t0} ms)`);
    api.store.check(true);
  });

  suiteTeardown(async () => {
    await closeTrainingTabs();
    store.close();
  });

  test('Show Training Curves draws a chart per metric, training and validation together, batch_loss by batch', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await vscode.commands.executeCommand('mlops.showTrainingCurves', finished);
    const panel = await panelOf(finished, (p) => !!p.rendered?.charts, 'the charts');
    assert.equal(panel.title, `Training · Run #${finished}`);
    assert.deepEqual(panel.charts, ['loss', 'batch_loss', 'auc']);
    assert.deepEqual(panel.rendered!.points, { loss: 8, val_loss: 8, batch_loss: 8 * BATCHES_PER_EPOCH, auc: 8, val_auc: 8 });
    assert.equal(panel.status, 'complete');
    // A run node from the Runs tree opens the same panel.
    const api = await extensionApi();
    const run = store.getRun(finished)!;
    await vscode.commands.executeCommand('mlops.showTrainingCurves', { kind: 'run', run });
    assert.equal(api.training.openPanels().filter((p) => p.runId === finished).length, 1);
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === panel.title).length, 1);
  });

  test('while a run trains, each new epoch reaches the open panel as an increment, without reopening it', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await closeTrainingTabs();
    const live = addTrainingRun(store, { pipeline: 'curves-live', epochs: 2, running: true });
    await vscode.commands.executeCommand('mlops.showTrainingCurves', live);
    await panelOf(live, (p) => p.rendered?.points.loss === 2, 'the first two epochs');
    for (let epoch = 3; epoch <= 6; epoch++) {
      // The trainer commits an epoch; nothing pokes the extension: the store watch must bring it in.
      store.logMetrics(live, null, epochPoints(epoch));
      const panel = await panelOf(live, (p) => p.rendered?.points.loss === epoch, `epoch ${epoch} in the chart`);
      assert.equal(panel.rendered!.points.val_loss, epoch);
      assert.equal(panel.rendered!.points.batch_loss, epoch * BATCHES_PER_EPOCH);
      assert.equal(panel.lastPointsSent, epochPoints(epoch).length, "only the epoch's own points were sent");
    }
    const panel = (await extensionApi()).training.openPanels().find((p) => p.runId === live)!;
    assert.equal(panel.views, 1, 'one full send, then increments only');
    assert.ok(panel.updates >= 4, `${panel.updates} updates`);
    store.finishRun(live, 'complete');
    await panelOf(live, (p) => p.status === 'complete', 'the run to show as complete');
  });

  test('100,000 points: the chart gets at most the budget, the spike and the dip included', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await closeTrainingTabs();
    const openedAt = Date.now();
    await vscode.commands.executeCommand('mlops.showTrainingCurves', big);
    const panel = await panelOf(big, (p) => (p.rendered?.points.batch_loss ?? 0) > 0, 'the per-batch chart');
    console.log(`      (100,002 points: chart drawn ${Date.now() - openedAt} ms after the command, ${panel.rendered!.points.batch_loss} points sent)`);
    assert.equal(panel.pointsRead.batch_loss, 100_002);
    assert.ok(panel.rendered!.points.batch_loss <= 2000, `${panel.rendered!.points.batch_loss} points drawn`);
    assert.ok(panel.lastPointsSent <= 2000);
    assert.deepEqual(panel.charts, ['batch_loss']);
  });

  test('hidden and shown again, the page comes back from its state and gets the curves again', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    await closeTrainingTabs();
    await vscode.commands.executeCommand('mlops.showTrainingCurves', finished);
    const before = await panelOf(finished, (p) => !!p.rendered, 'the panel');
    // Another editor in the same group hides the panel; its page is discarded (no retainContextWhenHidden).
    const other = path.join(workspaceFolder().uri.fsPath, '.mlops-training-test', 'other.txt');
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, 'hides the panel\n');
    const doc = await vscode.workspace.openTextDocument(other);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Active });
    await waitFor(() => !api.training.openPanels().find((p) => p.runId === finished)?.visible, 'the panel to be hidden');
    await vscode.commands.executeCommand('mlops.showTrainingCurves', finished);
    const after = await panelOf(finished, (p) => p.visible && p.views > before.views && !!p.rendered?.charts, 'the page to come back');
    assert.deepEqual(after.rendered!.points, before.rendered!.points);
    assert.equal(after.smoothing, before.smoothing, 'the smoothing the page restored');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === other);
    await vscode.window.tabGroups.close(tabs);
  });

  test("a run a Python script recorded with the mlops module draws its curves like a built-in one's", async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await closeTrainingTabs();
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    const script = [
      'import mlops',
      'with mlops.start_run(name="python-curves") as run:',
      '    for epoch in range(5):',
      '        mlops.log_metrics({"loss": 1 / (epoch + 1), "val_loss": 1.2 / (epoch + 1)}, step=epoch + 1)',
      'print(run.id)',
    ].join('\n');
    const env = {
      ...process.env,
      PYTHONPATH: path.join(extension, 'resources', 'python'),
      MLOPS_NODE: process.execPath,
      MLOPS_STORE: storeFile,
      // The extension host's Node runs the CLI as Node, not as the editor.
      ELECTRON_RUN_AS_NODE: '1',
    };
    const python = spawnSync('python3', ['-c', script], { env, encoding: 'utf8' });
    assert.equal(python.status, 0, python.stderr);
    const runId = Number(python.stdout.trim());
    await vscode.commands.executeCommand('mlops.showTrainingCurves', runId);
    const panel = await panelOf(runId, (p) => !!p.rendered?.charts, 'the charts of the tracked run');
    assert.deepEqual(panel.charts, ['loss']);
    assert.deepEqual(panel.rendered!.points, { loss: 5, val_loss: 5 });
  });

  test('a deleted run says so; without an argument a quick pick offers runs with metrics, running first', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    const ghost = addTrainingRun(store, { pipeline: 'curves-ghost', epochs: 1 });
    const running = addTrainingRun(store, { pipeline: 'curves-running', epochs: 1, running: true });
    store.deleteRun(ghost);
    api.store.check(true);
    await vscode.commands.executeCommand('mlops.showTrainingCurves', ghost);
    const gone = await panelOf(ghost, (p) => !!p.message, 'the message');
    assert.match(gone.message!, /not in the store/);

    const original = vscode.window.showQuickPick;
    let offered: string[] = [];
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly vscode.QuickPickItem[]) => {
      offered = items.map((i) => i.label);
      return undefined;
    };
    try {
      await vscode.commands.executeCommand('mlops.showTrainingCurves');
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = original;
      store.finishRun(running, 'complete');
    }
    assert.ok(offered[0].startsWith(`#${running} `), `running first: ${offered.slice(0, 3).join(' | ')}`);
    assert.ok(offered.some((l) => l.startsWith(`#${finished} `)));
    assert.ok(!offered.some((l) => l.startsWith(`#${ghost} `)));
  });
});

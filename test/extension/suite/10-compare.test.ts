import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store';
import type { ComparePanelInfo } from '../../../src/extension/compare/panel';
import type { CompareSource } from '../../../src/shared/compare';
import { addTrainingRun, addTuningRun, TRIALS } from '../../fixtures/training/generate';
import { extensionApi, waitFor, workspaceFolder, waitForPanel } from '../helpers';

/**
 * A webview boots in a browser shared with the rest of the workbench: generous, it is no timing test.
 * In code-server a new webview sometimes waits ~30 s for its service worker ("Waiting for
 * controllerchange"), so a test that opens several gets more than Mocha's default minute.
 */
const WEBVIEW_TEST_MS = 150_000;

async function closeCompareTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Compare ') || t.label.startsWith('Trials · '));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

async function comparison(source: CompareSource['kind'], ready: (p: ComparePanelInfo) => boolean, what: string): Promise<ComparePanelInfo> {
  const api = await extensionApi();
  return waitForPanel(
    () => api.compare.openPanels().find((p) => p.source.kind === source),
    ready,
    what,
    (p) => p && { ...p, view: p.view && { runs: p.view.runs.map((r) => r.id) } },
  );
}

async function tickOnly(ids: number[]): Promise<void> {
  const api = await extensionApi();
  api.checkedRuns.update([...api.checkedRuns.list().map((id) => [id, false] as [number, boolean]), ...ids.map((id) => [id, true] as [number, boolean])]);
}

suite('compare: runs and trials', () => {
  let store: RunStore;
  let runs: number[];
  let tuning: { parent: number; trials: number[] };

  suiteSetup(async () => {
    const api = await extensionApi();
    const storeFile = path.join(workspaceFolder().uri.fsPath, '.mlops', 'store.sqlite');
    await waitFor(() => api.store.path === storeFile, `the store at ${storeFile} (now ${api.store.path})`);
    store = RunStore.open(storeFile);
    // Three runs of one pipeline: the learning rate and the optimizer differ, the seed does not.
    runs = [
      { lr: 0.01, optimizer: 'adam', quality: 0.3 },
      { lr: 0.001, optimizer: 'adam', quality: 0.9 },
      { lr: 0.1, optimizer: 'sgd', quality: 0.6 },
    ].map(({ lr, optimizer, quality }) =>
      addTrainingRun(store, { pipeline: 'compare-me', epochs: 4, quality, params: { 'train.learning_rate': lr, 'train.optimizer': optimizer, seed: 7 } }),
    );
    tuning = addTuningRun(store, 'compare-tuning');
    api.store.check(true);
  });

  suiteTeardown(async () => {
    await tickOnly([]);
    await closeCompareTabs();
    store.close();
  });

  test('Compare Runs on the ticked runs: params side by side, what differs, the best run per metric', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await tickOnly(runs);
    await vscode.commands.executeCommand('mlops.compareRuns');
    const panel = await comparison('checked', (p) => !!p.view && p.rendered?.rows === 3, 'the table of three runs');
    const view = panel.view!;
    assert.equal(panel.title, 'Compare Runs (3)');
    assert.deepEqual(
      view.runs.map((r) => r.id),
      runs,
    );
    assert.deepEqual(
      view.params.filter((p) => p.differs).map((p) => p.key),
      ['train.learning_rate', 'train.optimizer'],
    );
    assert.ok(view.params.some((p) => p.key === 'seed' && !p.differs));
    const best = Object.fromEntries(view.metrics.map((m) => [m.key, m.bestRuns]));
    // The second run learns best: lowest losses, highest AUCs.
    assert.deepEqual(best.val_loss, [runs[1]]);
    assert.deepEqual(best.loss, [runs[1]]);
    assert.deepEqual(best.val_auc, [runs[1]]);
    assert.equal(view.metrics.find((m) => m.key === 'val_loss')!.direction, 'min');
    assert.equal(view.metrics.find((m) => m.key === 'auc')!.direction, 'max');
    assert.equal(panel.rendered!.paramColumns, 2, 'only what differs, by default: seed is the same in every run');
    assert.equal(panel.rendered!.best, view.metrics.length, 'one best cell per metric (no ties here)');
    assert.ok(panel.rendered!.charts.includes('parallel'), `charts: ${panel.rendered!.charts}`);
  });

  test('the panel follows the ticks', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await tickOnly([...runs, tuning.parent]);
    await comparison('checked', (p) => p.view?.runs.length === 4 && p.rendered?.rows === 4, 'a fourth run');
    await tickOnly(runs.slice(0, 2));
    const panel = await comparison('checked', (p) => p.view?.runs.length === 2 && p.rendered?.rows === 2, 'two runs');
    assert.equal(panel.title, 'Compare Runs (2)');
  });

  test('Export Comparison as CSV writes the table as the page shows it', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await tickOnly(runs);
    await comparison('checked', (p) => p.rendered?.order.length === 3, 'three rows');
    const target = vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, '.mlops-compare-test', 'table.csv'));
    fs.rmSync(path.dirname(target.fsPath), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target.fsPath), { recursive: true });
    const original = vscode.window.showSaveDialog;
    let offered: vscode.SaveDialogOptions | undefined;
    (vscode.window as { showSaveDialog: unknown }).showSaveDialog = async (o: vscode.SaveDialogOptions) => {
      offered = o;
      return target;
    };
    try {
      await vscode.commands.executeCommand('mlops.exportComparison');
    } finally {
      (vscode.window as { showSaveDialog: unknown }).showSaveDialog = original;
    }
    assert.deepEqual(offered?.filters, { 'CSV (comma-separated values)': ['csv'] });
    const lines = fs.readFileSync(target.fsPath, 'utf8').trim().split('\n');
    assert.equal(lines.length, 4);
    // Only what differs (the default), the objective (val_loss) first.
    assert.match(lines[0], /^run,pipeline,status,train\.learning_rate,train\.optimizer,val_loss,auc,loss,val_auc,batch_loss$/);
    assert.match(lines[1], new RegExp(`^${runs[0]},compare-me,complete,0\\.01,adam,0\\.\\d+,`));
    assert.match(lines[3], new RegExp(`^${runs[2]},compare-me,complete,0\\.1,sgd,`));
  });

  test('no runs ticked: the panel says how to tick them', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await tickOnly([]);
    const panel = await comparison('checked', (p) => !!p.message, 'the message');
    assert.match(panel.message!, /Tick the runs/);
    assert.equal(panel.view, null);
  });

  test('Compare Trials: one row per trial, the objective, parallel coordinates, a scatter and overlaid curves', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await closeCompareTabs();
    await vscode.commands.executeCommand('mlops.compareTrials', tuning.parent);
    const panel = await comparison(
      'trials',
      (p) => ['parallel', 'scatter', 'curve-val_auc'].every((c) => p.rendered?.charts.includes(c)),
      "the plots and the objective's curves",
    );
    const view = panel.view!;
    assert.equal(panel.title, `Trials · Run #${tuning.parent}`);
    assert.deepEqual(
      view.runs.map((r) => r.id),
      tuning.trials,
    );
    assert.deepEqual(view.objective, { key: 'val_auc', direction: 'max' });
    assert.deepEqual(
      view.params.filter((p) => p.differs).map((p) => [p.key, p.kind, p.log]),
      [
        ['learning_rate', 'numeric', true],
        ['model.hidden', 'categorical', false],
      ],
    );
    const bestTrial = tuning.trials[TRIALS.length - 1];
    assert.deepEqual(view.metrics.find((m) => m.key === 'val_auc')!.bestRuns, [bestTrial]);
    assert.deepEqual(
      view.parallel!.axes.slice(0, 2).map((a) => a.key),
      ['learning_rate', 'model.hidden'],
    );
    assert.equal(panel.curvesSent.val_auc, TRIALS.length, 'one curve per trial');
    assert.equal(panel.rendered!.rows, TRIALS.length);
  });

  test('the Runs tree lists trials under their run, which offers Compare Trials', async () => {
    const api = await extensionApi();
    const parent = store.getRun(tuning.parent)!;
    const groups = api.runsTree.getChildren();
    const group = groups.find((g) => g.kind === 'group' && g.pipeline === 'compare-tuning')!;
    const rows = api.runsTree.getChildren(group);
    assert.deepEqual(
      rows.flatMap((r) => (r.kind === 'run' ? [r.run.id] : [])),
      [tuning.parent],
      'trials are not top-level rows',
    );
    const item = api.runsTree.getTreeItem({ kind: 'run', run: parent });
    assert.equal(item.contextValue, 'run.tuning');
    assert.match(String(item.description), /4 trials$/);
    const sections = api.runsTree.getChildren({ kind: 'run', run: parent });
    assert.deepEqual(
      sections.map((s) => (s.kind === 'section' ? s.section : s.kind)),
      ['trials', 'params', 'metrics', 'artifacts'],
    );
    const trials = api.runsTree.getChildren(sections[0]);
    assert.deepEqual(
      trials.map((t) => (t.kind === 'run' ? t.run.id : -1)),
      tuning.trials,
    );
    const trialItem = api.runsTree.getTreeItem(trials[0]);
    assert.equal(trialItem.contextValue, 'trial');
    assert.ok(trialItem.checkboxState !== undefined, 'trials can be ticked for comparison');
  });

  test('200 ticked runs: a bounded message and a responsive table', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const many = Array.from({ length: 200 }, (_, i) =>
      addTrainingRun(store, {
        pipeline: 'compare-many',
        epochs: 3,
        quality: (i % 10) / 10,
        params: { 'train.learning_rate': 10 ** -(1 + (i % 4)), 'train.batch_size': 32 * (1 + (i % 3)) },
      }),
    );
    (await extensionApi()).store.check(true);
    await closeCompareTabs();
    await tickOnly(many);
    const openedAt = Date.now();
    await vscode.commands.executeCommand('mlops.compareRuns');
    const panel = await comparison('checked', (p) => p.rendered?.rows === 200 && p.rendered.charts.includes('parallel'), 'the table of 200 runs');
    const chars = JSON.stringify(panel.view).length;
    console.log(`      (200 runs: table and parallel plot drawn ${Date.now() - openedAt} ms after the command; view ${(chars / 1024).toFixed(0)} KiB)`);
    assert.equal(panel.view!.runs.length, 200);
    assert.ok(chars < 200 * 2000, `view of ${chars} chars`);
    assert.equal(panel.view!.curveBudget, 100, "each run's curve gets a share of the points");
  });
});

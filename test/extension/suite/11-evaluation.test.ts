import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store';
import type { EvaluationPanelInfo } from '../../../src/extension/evaluation/panel';
import type { ModelsNode } from '../../../src/extension/models/nodes';
import { thresholdPointAt } from '../../../src/shared/evaluationView';
import { addEvaluatedRun, addRun, sampleReport, writeEvaluation } from '../../fixtures/evaluation/report';
import { REGISTRY_MODEL, writeRegistryWorkspace, type RegistryRun } from '../../fixtures/evaluation/registry';
import { extensionApi, mlops, waitFor, withDialogs, workspaceFolder, waitForPanel, WEBVIEW_MS } from '../helpers';

/** A webview boots in a browser shared with the workbench (see 9-training): generous, no timing test. */
const WEBVIEW_TEST_MS = 150_000;

async function closeEvaluationTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Evaluation · ') || t.label.startsWith('Compare '));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

async function panelOf(runId: number, ready: (p: EvaluationPanelInfo) => boolean, what: string): Promise<EvaluationPanelInfo> {
  const api = await extensionApi();
  return waitForPanel(() => api.evaluation.openPanels().find((p) => p.runId === runId), ready, what);
}

suite('evaluation: panel', () => {
  let store: RunStore;
  let folder: string;

  suiteSetup(async () => {
    const api = await extensionApi();
    const storeFile = path.join(workspaceFolder().uri.fsPath, '.mlops', 'store.sqlite');
    await waitFor(() => api.store.path === storeFile, `the store at ${storeFile} (now ${api.store.path})`);
    store = RunStore.open(storeFile);
    folder = path.join(workspaceFolder().uri.fsPath, '.mlops-evaluation-fixture');
  });

  suiteTeardown(async () => {
    await closeEvaluationTabs();
    store.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('Show Evaluation on an evaluated run: the report arrives and the page draws the slices, the confusion counts and the checks', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const { runId, report } = addEvaluatedRun(store, folder, { pipeline: 'evaluated', failing: true });
    (await extensionApi()).store.check(true);
    await vscode.commands.executeCommand('mlops.showEvaluation', runId);
    const panel = await panelOf(runId, (p) => p.views > 0 && p.rendered !== null, 'the evaluation drawn');
    assert.equal(panel.title, `Evaluation · Run #${runId}`);
    assert.equal(panel.task, 'binary');
    assert.equal(panel.slices, 4);
    assert.equal(panel.blessed, false);
    assert.match(panel.file!, /run-\d+[\\/]evaluation[\\/]evaluation\.json$/);
    const rendered = panel.rendered!;
    assert.equal(rendered.sliceRows, 4);
    assert.equal(rendered.flagged, 1, 'Cash is significantly worse than Overall');
    assert.equal(rendered.checks, 4);
    const expected = thresholdPointAt(report.overall.plots!.thresholds!, report.decisionThreshold)!;
    assert.deepEqual(rendered.confusion, { slice: 'Overall', threshold: 0.5, tp: expected.tp, fp: expected.fp, tn: expected.tn, fn: expected.fn });

    await vscode.commands.executeCommand('mlops.showEvaluation', runId);
    assert.equal((await extensionApi()).evaluation.openPanels().filter((p) => p.runId === runId).length, 1, 'opening it again reveals the same panel');
  });

  test('a running run: a message until its evaluation is written, then the report', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const runId = addRun(store, 'evaluating');
    await vscode.commands.executeCommand('mlops.showEvaluation', runId);
    const waiting = await panelOf(runId, (p) => !!p.message, 'the waiting message');
    assert.match(waiting.message!, /has no evaluation yet: it appears here when its evaluate component finishes/);
    writeEvaluation(store, runId, folder, sampleReport({ runId }));
    store.finishRun(runId, 'complete');
    // Nothing pokes the extension: the panel's own look at a running run's store finds the commit.
    const shown = await panelOf(runId, (p) => p.views > 0 && p.rendered !== null, 'the report after it was written');
    assert.equal(shown.message, null);
    assert.equal(shown.blessed, true);
  });

  test('a run that never evaluated, and a broken evaluation.json: a message that says so', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const plain = addRun(store, 'not-evaluated');
    store.finishRun(plain, 'complete');
    (await extensionApi()).store.check(true);
    await vscode.commands.executeCommand('mlops.showEvaluation', plain);
    const none = await panelOf(plain, (p) => !!p.message, 'the message');
    assert.match(none.message!, /has no evaluation\. Add an `evaluate:` section/);

    const { runId } = addEvaluatedRun(store, folder, { pipeline: 'broken-evaluation' });
    fs.writeFileSync(path.join(folder, `run-${runId}`, 'evaluation', 'evaluation.json'), '{"format": "mlops-evaluation", "version": 1}');
    (await extensionApi()).store.check(true);
    await vscode.commands.executeCommand('mlops.showEvaluation', runId);
    const broken = await panelOf(runId, (p) => !!p.message, 'the message');
    assert.match(broken.message!, /evaluation\.json is not an mlops evaluation/);
  });
});

suite('evaluation: Models tree, push and rollback', () => {
  let folder: string;
  const runIds: number[] = [];

  async function runPipeline(run: RegistryRun): Promise<number> {
    const api = await extensionApi();
    const file = writeRegistryWorkspace(folder, run);
    const { code, output } = await mlops(['run', file, '--store', api.store.path!], folder);
    if (code !== 0 && run.accuracyLower <= 1) throw new Error(`mlops run exited with ${code}:\n${output}`);
    const id = Number(/run #(\d+)/.exec(output)?.[1]);
    assert.ok(id > 0, `a run id in ${output}`);
    return id;
  }

  async function versions(): Promise<Extract<ModelsNode, { kind: 'version' }>[]> {
    const api = await extensionApi();
    api.store.check(true);
    const model = api.modelsTree.getChildren().find((n) => n.kind === 'model' && n.model.name === REGISTRY_MODEL);
    assert.ok(model, `the model ${REGISTRY_MODEL} in the Models tree`);
    return api.modelsTree.getChildren(model).filter((n): n is Extract<ModelsNode, { kind: 'version' }> => n.kind === 'version');
  }

  const production = async () => {
    const api = await extensionApi();
    return api.modelsTree.list().find((m) => m.model.name === REGISTRY_MODEL)?.model.aliases.production;
  };

  suiteSetup(async function () {
    this.timeout(180_000);
    folder = path.join(workspaceFolder().uri.fsPath, 'registry-fixture');
    // v1: production; v2: staging (both blessed); run 3 fails its threshold and is pushed to staging by hand, forced.
    runIds.push(await runPipeline({ seed: 7, alias: 'production', accuracyLower: 0.5 }));
    runIds.push(await runPipeline({ seed: 8, alias: 'staging', accuracyLower: 0.5 }));
    runIds.push(await runPipeline({ seed: 9, alias: 'staging', accuracyLower: 1.01 }));
    const api = await extensionApi();
    const forced = await mlops(['push', String(runIds[2]), '--alias', 'staging', '--force', '--reason', 'test setup', '--store', api.store.path!], folder);
    assert.equal(forced.code, 0, forced.output);
  });

  suiteTeardown(async () => {
    await closeEvaluationTabs();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('the Models tree: versions newest first, alias badges, blessing icons and headline metrics', async () => {
    const api = await extensionApi();
    const [model] = api.modelsTree.getChildren().filter((n) => n.kind === 'model' && n.model.name === REGISTRY_MODEL);
    const modelItem = api.modelsTree.getTreeItem(model);
    assert.equal(modelItem.description, '3 versions · production v1');
    assert.equal(modelItem.contextValue, 'model.production');
    const rows = await versions();
    assert.deepEqual(
      rows.map((r) => r.version.version),
      [3, 2, 1],
    );
    assert.deepEqual(
      rows.map((r) => r.runId),
      [...runIds].reverse(),
    );
    const items = rows.map((r) => api.modelsTree.getTreeItem(r));
    assert.deepEqual(
      items.map((i) => i.label),
      ['v3', 'v2', 'v1'],
    );
    assert.match(String(items[0].description), /^staging · auc [\d.]+ · auc_pr [\d.]+$/);
    // The fixture's v2 has a 14% higher log_loss than production: said first, though no threshold gates it.
    assert.match(String(items[1].description), /^⚠ log_loss \+\d+% vs production · auc [\d.]+ · auc_pr [\d.]+$/);
    assert.match(String(items[2].description), /^production · auc /);
    assert.deepEqual(
      items.map((i) => (i.iconPath as vscode.ThemeIcon).id),
      ['warning', 'verified-filled', 'verified-filled'],
      'v3 was pushed without a blessing',
    );
    assert.deepEqual(
      items.map((i) => i.contextValue),
      ['version.staging.evaluated.run.comparable', 'version.evaluated.run.comparable', 'version.production.evaluated.run'],
    );
  });

  test("Show Evaluation from a version opens its run's evaluation, compared with the production baseline", async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const v2 = (await versions()).find((r) => r.version.version === 2)!;
    await vscode.commands.executeCommand('mlops.showEvaluation', v2);
    const panel = await panelOf(runIds[1], (p) => p.views > 0 && p.rendered !== null, "the evaluation of v2's run");
    assert.equal(panel.task, 'binary');
    assert.equal(panel.blessed, true);
    assert.equal(panel.slices, 3, 'payment_type: Cash, Credit Card, Mobile');
  });

  test('Push to Production: the confirmation shows the evaluation and the change against production; the CLI moves the alias', async function () {
    this.timeout(60_000);
    const v2 = (await versions()).find((r) => r.version.version === 2)!;
    const { result, dialogs } = await withDialogs(
      (d) => (d.items.includes('Push') ? 'Push' : undefined),
      () => vscode.commands.executeCommand('mlops.pushToProduction', v2),
    );
    assert.equal(result, true, JSON.stringify(dialogs));
    const [confirm] = dialogs;
    assert.equal(confirm.message, `Push ${REGISTRY_MODEL}@2 to production?`);
    assert.match(
      confirm.detail!,
      new RegExp(
        `^⚠ Much worse than production \\(${REGISTRY_MODEL}@1\\), whatever the blessing says: log_loss [\\d.]+ → [\\d.]+ \\(\\+\\d+%\\)\\.\n\nBlessed by its evaluation \\(1 passed, 0 failed, 0 skipped\\)\\.`,
      ),
    );
    assert.match(confirm.detail!, new RegExp(`production is now ${REGISTRY_MODEL}@1; it becomes ${REGISTRY_MODEL}@2\\.`));
    assert.match(confirm.detail!, /\nauc [\d.]+ \(v1: [\d.]+, [+−±][\d.]+( better| worse)?\)/);
    assert.ok(
      dialogs.some((d) => d.kind === 'information' && d.message === `MLOps: ${REGISTRY_MODEL}@2 is now production (was version 1).`),
      JSON.stringify(dialogs),
    );
    assert.equal(await production(), 2);
    const item = (await extensionApi()).modelsTree.getTreeItem((await versions()).find((r) => r.version.version === 2)!);
    assert.match(String(item.description), /^production · /);
  });

  test('Rollback Production names from and to, and moves production back', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const model = api.modelsTree.getChildren().find((n) => n.kind === 'model' && n.model.name === REGISTRY_MODEL)!;
    const { result, dialogs } = await withDialogs(
      (d) => (d.items.includes('Rollback') ? 'Rollback' : undefined),
      () => vscode.commands.executeCommand('mlops.rollbackProduction', model),
    );
    assert.equal(result, true, JSON.stringify(dialogs));
    assert.equal(dialogs[0].message, `Roll back production of ${REGISTRY_MODEL} from version 2 to version 1?`);
    assert.equal(await production(), 1);
    const history = api.store.read((s) => s.aliasHistory(REGISTRY_MODEL, 'production'), []);
    assert.deepEqual([history[0].fromVersion, history[0].toVersion], [2, 1]);
  });

  test('an unblessed version: the confirmation says so and offers a forced push, which the history records', async function () {
    this.timeout(60_000);
    const v3 = (await versions()).find((r) => r.version.version === 3)!;
    const { result, dialogs } = await withDialogs(
      (d) => (d.items.includes('Push Anyway (force)') ? 'Push Anyway (force)' : undefined),
      () => vscode.commands.executeCommand('mlops.pushToProduction', v3),
    );
    assert.equal(result, true, JSON.stringify(dialogs));
    assert.equal(dialogs[0].message, `${REGISTRY_MODEL}@3 is not blessed. Push it to production anyway?`);
    assert.deepEqual(dialogs[0].items, ['Push Anyway (force)']);
    assert.match(dialogs[0].detail!, /NOT blessed: its evaluation failed \(0 passed, 1 failed, 0 skipped\)\.\n• accuracy on Overall: /);
    assert.equal(await production(), 3);
    const [last] = (await extensionApi()).store.read((s) => s.aliasHistory(REGISTRY_MODEL, 'production'), []);
    assert.equal(last.forced, true);
    assert.match(last.reason, /forced/);
  });

  test('declining the confirmation changes nothing', async function () {
    this.timeout(60_000);
    const v2 = (await versions()).find((r) => r.version.version === 2)!;
    const { result } = await withDialogs(
      () => undefined,
      () => vscode.commands.executeCommand('mlops.pushToProduction', v2),
    );
    assert.equal(result, false);
    assert.equal(await production(), 3);
  });

  test('the CLI refuses (an unwritable serving folder): an error notification with its message, production unchanged', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const serving = path.join(path.dirname(api.store.path!), 'serving', REGISTRY_MODEL);
    fs.renameSync(serving, `${serving}.away`);
    fs.writeFileSync(serving, 'not a folder');
    try {
      const v2 = (await versions()).find((r) => r.version.version === 2)!;
      const { result, dialogs } = await withDialogs(
        (d) => (d.items.includes('Push') ? 'Push' : undefined),
        () => vscode.commands.executeCommand('mlops.pushToProduction', v2),
      );
      assert.equal(result, false);
      const error = dialogs.find((d) => d.kind === 'error');
      assert.ok(error, JSON.stringify(dialogs));
      assert.match(error.message, /^MLOps: push failed: .*the push destination .*serving[\\/]tipper cannot be created/);
      assert.deepEqual(error.items, ['Show Log']);
      assert.equal(await production(), 3);
    } finally {
      fs.rmSync(serving, { force: true });
      fs.renameSync(`${serving}.away`, serving);
    }
  });

  test("Compare with Production opens the comparison of the two versions' runs", async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    const v1 = (await versions()).find((r) => r.version.version === 1)!;
    assert.equal(api.modelsTree.getTreeItem(v1).contextValue, 'version.evaluated.run.comparable');
    await vscode.commands.executeCommand('mlops.compareWithProduction', v1);
    const panel = await waitFor(
      () => api.compare.openPanels().find((p) => p.source.kind === 'runs' && p.view?.runs.length === 2),
      'the comparison',
      WEBVIEW_MS,
    );
    assert.deepEqual(panel.source, { kind: 'runs', runIds: [runIds[2], runIds[0]] });
  });
});

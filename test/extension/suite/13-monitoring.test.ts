import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store';
import { SHOW_MONITORING_ACTION } from '../../../src/extension/monitoring/alertNotifier';
import type { MonitoringPanelInfo } from '../../../src/extension/monitoring/panel';
import {
  ALL_FIRED,
  MONITOR_SETTINGS,
  recordQuietWindows,
  recordWindow,
  registerMonitoredModel,
  windowReport,
  WINDOW_MS,
} from '../../fixtures/monitoring/store';
import { extensionApi, fixtureUri, waitFor, workspaceFolder, waitForPanel } from '../helpers';

/** A webview boots in a browser shared with the workbench (see 9-training): generous, no timing test. */
const WEBVIEW_TEST_MS = 150_000;
const MODEL = 'monitored-taxi';
/** The charts the page draws for windows with drift, prediction drift (one per subject: `drift:fare`), metrics and latency. */
const WINDOW_CHARTS = ['drift', 'prediction-drift', 'metric', 'window-latency'];

async function closeMonitoringTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Monitoring · '));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

async function panelOf(model: string, ready: (p: MonitoringPanelInfo) => boolean, what: string): Promise<MonitoringPanelInfo> {
  const api = await extensionApi();
  return waitForPanel(() => api.monitoring.openPanels().find((p) => p.model === model), ready, what);
}

const drew = (windows: number, alerts: number) => (p: MonitoringPanelInfo) =>
  p.rendered !== null &&
  p.rendered.windows === windows &&
  p.rendered.alerts === alerts &&
  WINDOW_CHARTS.every((c) => p.rendered!.charts.some((drawn) => drawn === c || drawn.startsWith(`${c}:`)));

interface Warning {
  message: string;
  items: string[];
}

/** Runs `fn` with warning notifications recorded and answered with `answer` (the button a user clicks). */
async function withWarnings<T>(answer: string | undefined, fn: (warnings: Warning[]) => Promise<T>): Promise<T> {
  const warnings: Warning[] = [];
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window.showWarningMessage;
  window.showWarningMessage = async (message: string, ...items: unknown[]) => {
    warnings.push({ message, items: items.filter((i): i is string => typeof i === 'string') });
    return answer;
  };
  try {
    return await fn(warnings);
  } finally {
    window.showWarningMessage = original;
  }
}

/** The notify action as `mlops monitor` records it for a pipeline that lists it. */
const NOTIFY = { action: 'notify', outcome: 'done', detail: 'stored for the editor to show' } as const;

suite('monitoring: panel and alert notifications', () => {
  let store: RunStore;
  let folder: string;
  let start: number;
  let retrainRun: number;

  suiteSetup(async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const storeFile = path.join(workspaceFolder().uri.fsPath, '.mlops', 'store.sqlite');
    await waitFor(() => api.store.path === storeFile, `the store at ${storeFile} (now ${api.store.path})`);
    store = RunStore.open(storeFile);
    folder = path.join(workspaceFolder().uri.fsPath, '.mlops-monitoring-fixture');
    registerMonitoredModel(store, folder, MODEL);
    start = Date.now() - 20 * WINDOW_MS;
    recordQuietWindows(store, MODEL, 6, start);
    retrainRun = store.createRun({
      pipelineName: MODEL,
      pipelineFile: path.join(folder, `${MODEL}.pipeline.yaml`),
      pipelineHash: 'sha256:retrain',
      toolVersion: '0.1.0',
    }).id;
    store.finishRun(retrainRun, 'complete');
    recordWindow(store, windowReport(MODEL, 2, 6, { start, fired: ALL_FIRED }), [
      NOTIFY,
      { action: 'retrain', outcome: 'done', detail: `run #${retrainRun} started`, runId: retrainRun },
    ]);
    // The three alerts are new to this window: one notification says so (shown for real, outside the stubs below).
    const before = api.alerts.shown.length;
    api.store.check(true);
    await waitFor(
      () => api.alerts.shown.slice(before).find((m) => m.startsWith(`MLOps: 3 new alerts for ${MODEL} v2: `)),
      "the notification of the setup's alerts",
    );
  });

  suiteTeardown(async () => {
    await closeMonitoringTabs();
    store.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('Show Monitoring on a model with stored windows: the page draws the windows, the charts and the alerts', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await vscode.commands.executeCommand('mlops.showMonitoring', MODEL);
    const panel = await panelOf(MODEL, drew(7, 3), 'the monitoring drawn');
    assert.equal(panel.title, `Monitoring · ${MODEL}`);
    assert.equal(panel.settings, MONITOR_SETTINGS, 'from the monitor section of the pipeline that trained the production version');
    assert.deepEqual([panel.windows, panel.alerts, panel.message, panel.rendered!.empty], [7, 3, null, null]);

    await vscode.commands.executeCommand('mlops.showMonitoring', MODEL);
    assert.equal((await extensionApi()).monitoring.openPanels().filter((p) => p.model === MODEL).length, 1, 'asking again reveals the same panel');
  });

  test('hidden behind an editor and shown again, the page draws its view again', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await vscode.commands.executeCommand('mlops.showMonitoring', MODEL);
    const shown = await panelOf(MODEL, drew(7, 3), 'the monitoring drawn');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri('tiny.pipeline.yaml')), {
      viewColumn: vscode.ViewColumn.Active,
      preview: false,
    });
    const hidden = await panelOf(MODEL, (p) => !p.visible, 'the panel hidden');
    assert.equal(hidden.rendered, null, 'a hidden page is discarded');
    await vscode.commands.executeCommand('mlops.showMonitoring', MODEL);
    const again = await panelOf(MODEL, drew(7, 3), 'the monitoring drawn again');
    assert.ok(again.visible);
    assert.ok(again.views > shown.views, 'the page asked again (ready) and got a fresh view');
    const doc = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'tiny.pipeline.yaml');
    await vscode.window.tabGroups.close(doc);
  });

  test('a new window and its alert: the panel updates and one notification names the model, the subject and what the action did', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    await vscode.commands.executeCommand('mlops.showMonitoring', MODEL);
    const views = (await panelOf(MODEL, drew(7, 3), 'the monitoring drawn')).views;
    const warnings = await withWarnings(undefined, async (warnings) => {
      recordWindow(store, windowReport(MODEL, 2, 7, { start, fired: ['fare'] }), [
        NOTIFY,
        { action: 'retrain', outcome: 'done', detail: `run #${retrainRun} started`, runId: retrainRun },
      ]);
      api.store.check(true);
      await waitFor(() => warnings.length > 0, 'the notification');
      return warnings;
    });
    assert.deepEqual(warnings, [
      { message: `MLOps: ${MODEL} v2 — fare drift: wasserstein 0.42 > 0.1 · retrain: run #${retrainRun} started`, items: [SHOW_MONITORING_ACTION] },
    ]);
    assert.equal(api.alerts.shown.at(-1), warnings[0].message);
    const panel = await panelOf(MODEL, drew(8, 4), 'the new window and alert drawn');
    assert.ok(panel.views > views, 'a new view was sent');
  });

  test("the notification's Show Monitoring opens the panel of the alerting model", async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    await closeMonitoringTabs();
    await waitFor(() => !api.monitoring.openPanels().some((p) => p.model === MODEL), 'the panel closed');
    const warnings = await withWarnings(SHOW_MONITORING_ACTION, async (warnings) => {
      recordWindow(store, windowReport(MODEL, 2, 8, { start, fired: ['score', 'accuracy'] }), [
        NOTIFY,
        { action: 'rollback', outcome: 'done', detail: 'production 2 → 1' },
      ]);
      api.store.check(true);
      await panelOf(MODEL, drew(9, 6), 'the panel opened by the notification');
      return warnings;
    });
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0].message,
      new RegExp(
        `^MLOps: 2 new alerts for ${MODEL} v2: score prediction drift: wasserstein 0\\.3 > 0\\.1; accuracy 0\\.74 < 0\\.8 online · rollback: production 2 → 1$`,
      ),
    );
  });

  test('an alert of a pipeline without notify in its actions: drawn in the panel, no notification', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    await vscode.commands.executeCommand('mlops.showMonitoring', MODEL);
    const shown = api.alerts.shown.length;
    const warnings = await withWarnings(undefined, async (warnings) => {
      const [raised] = recordWindow(store, windowReport(MODEL, 2, 9, { start, fired: ['fare'] }), [
        { action: 'retrain', outcome: 'skipped', detail: `run #${retrainRun} (started by alert #1) is still running` },
      ]);
      api.store.check(true);
      await panelOf(MODEL, drew(10, 7), 'the new alert drawn');
      await waitFor(() => api.alerts.seen >= raised.id, 'the notifier to look at the alert');
      return warnings;
    });
    assert.deepEqual(warnings, []);
    assert.equal(api.alerts.shown.length, shown);
  });

  test('a model that is neither registered nor monitored: the panel says what to do', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    await vscode.commands.executeCommand('mlops.showMonitoring', 'never-pushed');
    const panel = await panelOf('never-pushed', (p) => !!p.message && p.rendered?.empty === p.message, 'the message drawn');
    assert.match(panel.message!, /^never-pushed is not in the model registry and has no monitored windows\. Push a model/);
  });
});

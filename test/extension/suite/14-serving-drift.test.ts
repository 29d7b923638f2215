import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WindowReport } from '../../../src/core/monitor/types';
import { RunStore } from '../../../src/core/store';
import type { ComparatorResult } from '../../../src/core/validate/types';
import { COMMAND_SHOW_MONITORING } from '../../../src/extension/commandIds';
import type { DriftRowView, DriftView } from '../../../src/shared/drift';
import { REGISTRY_MODEL, REGISTRY_PIPELINE, writeRegistryWorkspace } from '../../fixtures/evaluation/registry';

/** The registry fixture under its own pipeline and model names, so other suites' runs and windows do not mix in. */
const PIPELINE = 'serving-drift-test';
const MODEL = 'drift-tipper';

function writeWorkspace(folder: string): string {
  const file = writeRegistryWorkspace(folder, { seed: 1, alias: 'production', accuracyLower: 0 });
  const text = fs.readFileSync(file, 'utf8');
  const renamed = text.replace(`pipeline: ${REGISTRY_PIPELINE}\n`, `pipeline: ${PIPELINE}\n`).replace(`  model: ${REGISTRY_MODEL}\n`, `  model: ${MODEL}\n`);
  assert.ok(renamed.includes(`pipeline: ${PIPELINE}\n`) && renamed.includes(`  model: ${MODEL}\n`), renamed);
  fs.writeFileSync(file, renamed);
  return file;
}
import { extensionApi, mlops, waitFor, workspaceFolder } from '../helpers';

function drift(feature: string, method: ComparatorResult['method'], value: number, threshold: number, pValue?: number): ComparatorResult {
  const fired = pValue === undefined ? value > threshold : pValue <= threshold;
  return { feature, kind: 'drift', method, value, threshold, fired, ...(pValue !== undefined && { pValue }), current: 'served', reference: 'train' };
}

function report(version: number, key: string, start: number, results: ComparatorResult[]): WindowReport {
  return {
    window: { key, model: MODEL, version, start, end: start + 5 * 60_000, rows: 1000 },
    labelled: 0,
    latency: { p50: 2, p99: 9, mean: 3 },
    drift: results,
    predictionDrift: [],
    invalid: {},
    notes: [],
  };
}

const key = (r: DriftRowView) => `${r.fired ? '!' : ''}${r.kind}:${r.feature}`;

/** Every feature's rows are contiguous, in the order span drift, skew, serving. */
function assertGrouped(rows: readonly DriftRowView[]): void {
  const order = { drift: 0, skew: 1, serving: 2 };
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const previous = rows[i - 1];
    if (previous?.feature === r.feature) assert.ok(order[previous.kind] <= order[r.kind], `${key(previous)} before ${key(r)}`);
    else {
      assert.ok(!seen.has(r.feature), `the rows of ${r.feature} together: ${rows.map(key).join(', ')}`);
      seen.add(r.feature);
    }
  });
}

suite('serving drift in the Drift view', () => {
  let folder: string;
  let pipelineFile: string;
  let version: number;
  let storePath: string;
  const start = Date.now() - 60 * 60_000;
  const FIRST = `serving-drift-test/rows@${start}`;
  const SECOND = `serving-drift-test/rows@${start + 10 * 60_000}`;

  function recordWindow(r: WindowReport): void {
    const store = RunStore.open(storePath);
    try {
      store.recordWindow(r);
    } finally {
      store.close();
    }
  }

  async function servingView(windowKey: string): Promise<DriftView> {
    const api = await extensionApi();
    // What the store's poll does every few seconds; the view listens to the store's changes.
    api.store.check();
    return waitFor(() => {
      const v = api.drift.current;
      return api.drift.resolved && v?.pipeline === PIPELINE && v.serving?.window?.key === windowKey && v;
    }, `the Drift view to show the window ${windowKey}`);
  }

  suiteSetup(async function () {
    this.timeout(180_000);
    const api = await extensionApi();
    storePath = api.store.path!;
    folder = path.join(workspaceFolder().uri.fsPath, 'serving-drift-fixture');
    pipelineFile = writeWorkspace(folder);
    const { code, output } = await mlops(['run', pipelineFile, '--store', storePath], folder);
    assert.equal(code, 0, output);
    const store = RunStore.open(storePath);
    try {
      const production = store.getModel(MODEL)?.aliases.production;
      assert.ok(production, `a production version of ${MODEL}`);
      version = production;
      const run = store.getRun(store.getModelVersion(MODEL, version)!.runId!);
      assert.equal(run?.pipelineName, PIPELINE);
    } finally {
      store.close();
    }
  });

  suiteTeardown(async () => {
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === pipelineFile);
    if (tabs.length) await vscode.window.tabGroups.close(tabs);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test("the pipeline file's served model: its newest window's rows, grouped by feature, fired first", async () => {
    recordWindow(
      report(version, FIRST, start, [
        drift('trip_miles', 'ks', 0.04, 0.05, 0.3),
        drift('fare', 'wasserstein', 0.5, 0.1),
        drift('payment_type', 'chi2', 12, 0.05, 0.02),
        drift('company', 'jsd', 0.02, 0.1),
      ]),
    );
    await vscode.window.showTextDocument(vscode.Uri.file(pipelineFile));
    await vscode.commands.executeCommand('mlops.drift.focus');
    const view = await servingView(FIRST);
    assert.equal(view.chosenBy, 'editor');
    // The registry pipeline validates nothing: serving rows alone, no run to open.
    assert.equal(view.runId, null);
    assert.deepEqual(view.rows.map(key), ['!serving:fare', '!serving:payment_type', 'serving:company', 'serving:trip_miles']);
    assertGrouped(view.rows);
    const fare = view.rows[0];
    assert.equal(fare.method, 'wasserstein');
    assert.equal(fare.reference, `training statistics of v${version}`);
    assert.match(fare.current, /^served window .+–.+$/);
    assert.equal(view.serving?.model, MODEL);
    assert.equal(view.serving?.version, version);
    assert.match(view.serving.summary, new RegExp(`^Serving ${MODEL} v${version} · window .+ \\(1,000 rows\\): 2 of 4 fired$`));
  });

  test('a newer window replaces the rows', async () => {
    recordWindow(report(version, SECOND, start + 10 * 60_000, [drift('fare', 'wasserstein', 0.05, 0.1), drift('trip_miles', 'psi', 0.3, 0.2)]));
    const view = await servingView(SECOND);
    assert.deepEqual(view.rows.map(key), ['!serving:trip_miles', 'serving:fare']);
    assert.match(view.serving!.summary, /: 1 of 2 fired$/);
  });

  test("a serving row's click opens the Monitoring panel of the model", async () => {
    const api = await extensionApi();
    const calls: unknown[][] = [];
    const commands = vscode.commands as { executeCommand: unknown };
    const original = vscode.commands.executeCommand;
    commands.executeCommand = async (...args: unknown[]) => {
      if (args[0] !== COMMAND_SHOW_MONITORING && args[0] !== 'mlops.compareDatasets') return (original as (...a: unknown[]) => unknown)(...args);
      calls.push(args);
      return undefined;
    };
    try {
      await api.drift.compare('trip_miles', 'serving');
      // Not a row of this view (no validation): nothing to compare.
      await api.drift.compare('trip_miles', 'drift');
      await api.drift.openMonitoring(MODEL);
    } finally {
      commands.executeCommand = original;
    }
    assert.deepEqual(calls, [
      [COMMAND_SHOW_MONITORING, MODEL],
      [COMMAND_SHOW_MONITORING, MODEL],
    ]);
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store';
import type { StatisticsFile } from '../../../src/core/stats/types';
import {
  buildView,
  datasetChoices,
  defaultPair,
  equalEdges,
  featureDetail,
  isStatisticsFile,
  jensenShannon,
  lInfinity,
  rebin,
  suggestedPairs,
  toCsv,
} from '../../../src/extension/statistics/collect';
import { isStatisticsView, isToWebviewMessage } from '../../../src/shared/statistics';
import { wideStatistics } from '../../fixtures/statistics/generate';
import { extensionApi, waitFor, WEBVIEW_MS, workspaceFolder } from '../helpers';

/** The committed fixture (2+ datasets, 13 taxi-like features), read from the repository. */
function taxiFixture(): { file: StatisticsFile; folder: string } {
  const ext = vscode.extensions.getExtension('mlops-pipelines.mlops-pipelines')!;
  const folder = path.join(ext.extensionPath, 'test', 'fixtures', 'statistics', 'taxi');
  return { file: JSON.parse(fs.readFileSync(path.join(folder, 'statistics.json'), 'utf8')) as StatisticsFile, folder };
}

const ctx = { runId: 1, pipeline: 'taxi', artifactPath: 'stats' };
suite('statistics: collect (pure)', () => {
  test('rebin keeps the total and spreads a bucket by overlap', () => {
    const h = {
      buckets: [
        { low: 0, high: 10, count: 10 },
        { low: 10, high: 20, count: 30 },
      ],
    };
    const out = rebin(h, equalEdges(0, 20, 4));
    assert.deepEqual(out, [5, 5, 15, 15]);
    // A constant feature: one zero-width bucket lands whole in the bin holding its value.
    assert.deepEqual(rebin({ buckets: [{ low: 3, high: 3, count: 7 }] }, equalEdges(0, 10, 5)), [0, 7, 0, 0, 0]);
    assert.deepEqual(equalEdges(5, 5, 10), [4.5, 5.5]);
  });

  test('Jensen-Shannon divergence: 0 for equal histograms, 1 for disjoint ones, symmetric', () => {
    assert.equal(jensenShannon([1, 2, 3], [2, 4, 6]), 0);
    assert.equal(jensenShannon([1, 0], [0, 1]), 1);
    const d = jensenShannon([5, 3, 2], [2, 3, 5])!;
    assert.ok(d > 0 && d < 1);
    assert.equal(d, jensenShannon([2, 3, 5], [5, 3, 2]));
    assert.equal(jensenShannon([0, 0], [1, 1]), undefined);
  });

  test('L-infinity: the largest frequency difference and where it is', () => {
    const r = lInfinity(
      [
        { value: 'Cash', count: 50 },
        { value: 'Card', count: 50 },
      ],
      [
        { value: 'Cash', count: 20 },
        { value: 'Card', count: 60 },
        { value: 'Mobile', count: 20 },
      ],
    )!;
    assert.equal(r.at, 'Cash');
    assert.ok(Math.abs(r.distance - 0.3) < 1e-12);
    assert.equal(lInfinity([], [{ value: 'x', count: 1 }]), undefined);
  });

  test('dataset pairs: train vs eval first, then the newest span vs the one before, then serving', () => {
    const { file } = taxiFixture();
    assert.ok(isStatisticsFile(file));
    const datasets = datasetChoices(file);
    assert.deepEqual(
      suggestedPairs(datasets).map((p) => `${p.a}~${p.b}`),
      ['train~eval', 'train/day-02~train/day-01', 'train~serving', 'eval~serving'],
    );
    assert.deepEqual(defaultPair(datasets), { a: 'train', b: 'eval' });
    assert.equal(datasets.find((d) => d.name === 'train|payment_type:Cash')?.slice, 'payment_type=Cash');
    const spansOnly = datasets.filter((d) => d.span !== null);
    assert.deepEqual(defaultPair(spansOnly), { a: 'train/day-02', b: 'train/day-01' });
    assert.deepEqual(defaultPair(datasets.filter((d) => d.name === 'serving')), { a: 'serving', b: null });
  });

  test('the view: numeric and categorical rows, shares, distances, a side without the feature', () => {
    const { file } = taxiFixture();
    const view = buildView(file, 'train', 'serving', ctx);
    assert.ok(isStatisticsView(view), 'the view passes the contract the webview checks');
    const numeric = view.numeric.map((r) => r.name);
    const categorical = view.categorical.map((r) => r.name);
    assert.ok(numeric.includes('fare') && numeric.includes('trip_seconds'), numeric.join());
    assert.ok(categorical.includes('payment_type') && categorical.includes('big_tipper'), 'strings and bools are categorical');
    const tips = view.numeric.find((r) => r.name === 'tips')!;
    assert.equal(tips.b, null, 'serving has no tips');
    assert.equal(tips.distance, null);
    const fare = view.numeric.find((r) => r.name === 'fare')!;
    const fareEval = buildView(file, 'train', 'eval', ctx).numeric.find((r) => r.name === 'fare')!;
    assert.ok(fare.distance! > 2 * fareEval.distance!, `fare drifts in serving (JSD ${fare.distance} vs eval ${fareEval.distance})`);
    assert.equal(fare.chart.edges!.length, fare.chart.a.length + 1);
    assert.ok(Math.abs(fare.chart.a.reduce((s, x) => s + x, 0) - 1) < 1e-3, 'shares add up to 1');
    assert.ok(fare.a!.missing > 0 && fare.a!.missing < 0.05);
    const payment = view.categorical.find((r) => r.name === 'payment_type')!;
    assert.ok(payment.chart.labels!.length <= 5 && payment.chart.b!.length === payment.chart.labels!.length);
    assert.ok(payment.distance! > 0 && payment.distanceAt !== undefined);
    assert.equal(buildView(file, 'train', null, ctx).numeric[0].chart.b, undefined, 'no B series without B');
  });

  test('feature detail: 20 bins and quantiles for numbers, top 20 values for strings', () => {
    const { file } = taxiFixture();
    const fare = featureDetail(file, 'train', 'eval', 'fare')!;
    assert.equal(fare.kind, 'numeric');
    assert.equal(fare.chart.a.length, 20);
    assert.equal(fare.quantiles!.a.length, 11);
    assert.equal(fare.quantiles!.b!.length, 11);
    const company = featureDetail(file, 'train', 'eval', 'company')!;
    assert.equal(company.kind, 'categorical');
    assert.ok(company.top!.a.length > 5 && company.top!.a.length <= 20);
    assert.equal(featureDetail(file, 'train', 'eval', 'nope'), undefined);
  });

  test('CSV: one line per feature in the given order, quoted where needed', () => {
    const { file } = taxiFixture();
    const view = buildView(file, 'train', 'eval', ctx);
    const csv = toCsv(view, ['payment_type', 'fare']);
    const lines = csv.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^feature,kind,type,count \(train\),/);
    assert.match(lines[0], /,distance,distance_method$/);
    assert.match(lines[1], /^payment_type,categorical,string,/);
    assert.match(lines[1], /,linf$/);
    assert.match(lines[2], /^fare,numeric,float,/);
    const company = toCsv(view, ['company']).split('\n')[1];
    assert.match(company, /"Flash Cab"|Flash Cab/);
    assert.equal(toCsv(view).trim().split('\n').length, view.numeric.length + view.categorical.length + 1);
  });

  test('500 features: the message is built quickly and stays bounded', () => {
    const file = wideStatistics(500);
    const t0 = process.hrtime.bigint();
    const view = buildView(file, 'train', 'eval', ctx);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const chars = JSON.stringify(view).length;
    console.log(
      `      (500 features: view built in ${ms.toFixed(1)} ms, ${(chars / 1024).toFixed(0)} KiB; the file is ${(JSON.stringify(file).length / 1024).toFixed(0)} KiB)`,
    );
    assert.equal(view.numeric.length + view.categorical.length, 500);
    assert.ok(chars < 500 * 1500, `payload ${chars} chars`);
    assert.ok(isToWebviewMessage({ type: 'view', payload: view }));
  });
});

/** Closes this suite's panels only (closing every editor could meet another suite's unsaved file). */
async function closeStatisticsTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Statistics · '));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

suite('statistics: panel', () => {
  let storeFile: string;
  let taxiRun: number;
  let wideRun: number;
  let emptyRun: number;

  /** A run with one Statistics output, written through the store API as the statistics component would. */
  function addRun(store: RunStore, pipeline: string, statisticsFolder: string | undefined): number {
    const run = store.createRun({ pipelineName: pipeline, pipelineFile: `${pipeline}.pipeline.yaml`, pipelineHash: 'sha256:00', toolVersion: '0.1.0' });
    const exec = store.startExecution(run.id, 'statistics', 'statistics');
    if (statisticsFolder) {
      const artifact = store.createArtifact({ type: 'Statistics', uri: statisticsFolder });
      store.publishArtifact(artifact.id, { contentHash: 'sha256:00', sizeBytes: fs.statSync(path.join(statisticsFolder, 'statistics.json')).size });
      store.linkArtifact(exec.id, artifact.id, 'output', 'statistics');
    }
    store.finishExecution(exec.id, 'complete');
    store.finishRun(run.id, 'complete');
    return run.id;
  }

  suiteSetup(async () => {
    const api = await extensionApi();
    // The default store of the workspace (an earlier suite may still be moving back to it).
    storeFile = path.join(workspaceFolder().uri.fsPath, '.mlops', 'store.sqlite');
    await waitFor(() => api.store.path === storeFile, `the store at ${storeFile} (now ${api.store.path})`);
    const root = path.join(workspaceFolder().uri.fsPath, '.mlops-statistics-test');
    fs.rmSync(root, { recursive: true, force: true });
    const taxi = path.join(root, 'taxi');
    const wide = path.join(root, 'wide');
    fs.mkdirSync(taxi, { recursive: true });
    fs.mkdirSync(wide, { recursive: true });
    fs.copyFileSync(path.join(taxiFixture().folder, 'statistics.json'), path.join(taxi, 'statistics.json'));
    fs.writeFileSync(path.join(wide, 'statistics.json'), JSON.stringify(wideStatistics(500)));
    const store = RunStore.open(storeFile);
    try {
      emptyRun = addRun(store, 'no-stats', undefined);
      taxiRun = addRun(store, 'taxi-stats', taxi);
      wideRun = addRun(store, 'wide-stats', wide);
    } finally {
      store.close();
    }
    api.store.check(true);
  });

  suiteTeardown(() => closeStatisticsTabs());

  test('Show Data Statistics opens the panel for a run id; the webview renders train vs eval', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('mlops.showStatistics', taxiRun);
    const title = `Statistics · Run #${taxiRun}`;
    const panel = await waitFor(() => api.statistics.openPanels().find((p) => p.runId === taxiRun && p.rendered), 'the panel to render', WEBVIEW_MS).catch(
      (e: Error) => {
        throw new Error(`${e.message}; panels: ${JSON.stringify(api.statistics.openPanels())}`);
      },
    );
    assert.equal(panel.title, title);
    assert.deepEqual([panel.a, panel.b], ['train', 'eval']);
    assert.equal(panel.features, 13);
    assert.equal(panel.rendered!.rows, 13);
    await waitFor(() => (api.statistics.openPanels().find((p) => p.runId === taxiRun)?.rendered?.charts ?? 0) > 0, 'charts to be drawn', WEBVIEW_MS);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === title);
    assert.equal(tabs.length, 1);
    // Opening again reveals the same panel.
    await vscode.commands.executeCommand('mlops.showStatistics', { kind: 'run', run: { id: taxiRun } });
    assert.equal(api.statistics.openPanels().filter((p) => p.runId === taxiRun).length, 1);
  });

  test('Compare Datasets deep-links to a pair and a feature ({ runId, a, b, feature })', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('mlops.compareDatasets', { runId: taxiRun, a: 'train', b: 'serving', feature: 'fare' });
    const panel = await waitFor(
      () => api.statistics.openPanels().find((p) => p.runId === taxiRun && p.rendered?.a === 'train' && p.rendered.b === 'serving'),
      'the panel to show train vs serving',
      WEBVIEW_MS,
    );
    assert.equal(panel.b, 'serving');
  });

  test('without an argument, a quick pick offers only runs with statistics, newest first', async () => {
    const api = await extensionApi();
    const original = vscode.window.showQuickPick;
    let offered: string[] = [];
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly (vscode.QuickPickItem & { runId: number })[]) => {
      offered = items.map((i) => i.label);
      return items.find((i) => i.runId === taxiRun);
    };
    try {
      await vscode.commands.executeCommand('mlops.showStatistics');
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = original;
    }
    assert.ok(offered[0].startsWith(`#${wideRun} `), `newest first: ${offered.join(' | ')}`);
    assert.ok(offered.some((l) => l.startsWith(`#${taxiRun} `)));
    assert.ok(!offered.some((l) => l.startsWith(`#${emptyRun} `)), 'a run without statistics is not offered');
    assert.ok(api.statistics.openPanels().some((p) => p.runId === taxiRun));
  });

  test('a run without statistics says so', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('mlops.showStatistics', emptyRun);
    const panel = await waitFor(() => api.statistics.openPanels().find((p) => p.runId === emptyRun && p.message), 'the message', WEBVIEW_MS);
    assert.match(panel.message!, /no Statistics artifact/);
  });

  test('500 features: a bounded message, every row in the table, charts only for what is on screen', async () => {
    const api = await extensionApi();
    // One webview at a time: the hidden ones would only compete for the browser.
    await closeStatisticsTabs();
    const openedAt = Date.now();
    await vscode.commands.executeCommand('mlops.showStatistics', wideRun);
    const wide = () => api.statistics.openPanels().find((p) => p.runId === wideRun);
    await waitFor(() => wide()?.rendered?.rows, 'the wide table', WEBVIEW_MS).catch((e: Error) => {
      throw new Error(`${e.message}; panels: ${JSON.stringify(api.statistics.openPanels())}`);
    });
    const tableAt = Date.now();
    const panel = await waitFor(() => (wide()!.rendered!.charts > 0 ? wide() : undefined), 'charts in the wide table', WEBVIEW_MS);
    console.log(`      (the table was there ${tableAt - openedAt} ms after the command, the first charts ${Date.now() - tableAt} ms later)`);
    console.log(
      `      (500 features: message built in ${panel.buildMs.toFixed(1)} ms, ${(panel.payloadChars / 1024).toFixed(0)} KiB; ${panel.rendered!.charts} charts drawn)`,
    );
    assert.equal(panel.features, 500);
    assert.equal(panel.rendered!.rows, 500);
    assert.ok(panel.payloadChars < 500 * 1500, `payload ${panel.payloadChars}`);
    assert.ok(panel.rendered!.charts < 200, `charts are drawn lazily (${panel.rendered!.charts} of 500)`);
  });
});

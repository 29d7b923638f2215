import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestRequestResult } from '../../../src/extension/serving/commands';
import type { ServingStatus } from '../../../src/extension/serving/source';
import { REGISTRY_MODEL, writeRegistryWorkspace } from '../../fixtures/evaluation/registry';
import { isAlive } from '../../helpers/process';
import { extensionApi, mlops, waitFor, withDialogs, workspaceFolder } from '../helpers';

/** Starting a server loads the model in a child process; generous, and no timing assertion. */
const SERVE_MS = 90_000;
const TEST_MS = 120_000;

const noAnswer = () => undefined;

async function setPort(port: number | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('mlops').update('serve.port', port, vscode.ConfigurationTarget.Workspace);
}

/** A MarkdownString's text as read: appendText escapes spaces and punctuation. */
const plain = (markdown: string) =>
  markdown
    .replace(/\*\*/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/\\(.)/g, '$1');

function serving(status: ServingStatus | undefined): ServingStatus | undefined {
  return status?.state === 'serving' && status.version !== null ? status : undefined;
}

suite('serving: Start Serving, Send Test Request, Stop Serving', () => {
  let folder: string;
  let previousPort: number | undefined;

  suiteSetup(async function () {
    this.timeout(180_000);
    const api = await extensionApi();
    await waitFor(() => api.store.path, 'the store path');
    folder = path.join(workspaceFolder().uri.fsPath, 'serving-fixture');
    const file = writeRegistryWorkspace(folder, { seed: 1, alias: 'production', accuracyLower: 0 });
    const { code, output } = await mlops(['run', file, '--store', api.store.path!], folder);
    assert.equal(code, 0, output);
    api.store.check(true);
    previousPort = vscode.workspace.getConfiguration('mlops').inspect<number>('serve.port')?.workspaceValue;
    await setPort(0);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    await api.serving.stop();
    await setPort(previousPort);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('Send Test Request with nothing served offers to start serving', async () => {
    const { result, dialogs } = await withDialogs(noAnswer, () => vscode.commands.executeCommand('mlops.sendTestRequest', { model: REGISTRY_MODEL }));
    assert.equal(result, undefined);
    assert.equal(dialogs.length, 1, JSON.stringify(dialogs));
    assert.match(dialogs[0].message, /nothing is being served\. Start serving tipper to send it a test request\./);
    assert.deepEqual(dialogs[0].items, ['Start Serving']);
  });

  test('Start Serving runs the server: serving state with a version, the status bar item, the context key, monitoring beside it', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const { result, dialogs } = await withDialogs(noAnswer, () => vscode.commands.executeCommand<ServingStatus>('mlops.startServing', REGISTRY_MODEL));
    assert.equal(result.state, 'serving', `${JSON.stringify(result)} ${JSON.stringify(dialogs)}`);
    const status = await waitFor(() => serving(api.serving.status()), 'serving with a version', SERVE_MS);
    assert.equal(status.model, REGISTRY_MODEL);
    assert.match(status.url!, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(status.dir!, /serving[\\/]tipper$/);
    assert.ok(
      dialogs.some((d) => d.kind === 'information' && d.message === `MLOps: serving ${REGISTRY_MODEL}@${status.version} at ${status.url}.`),
      JSON.stringify(dialogs),
    );
    assert.equal(api.serving.servingContext, true);

    const view = api.servingStatusBar.view();
    assert.ok(view, 'the status bar item is shown');
    assert.match(view.text, new RegExp(`^\\$\\(radio-tower\\) tipper v${status.version} · [\\d.k<]+ req/s$`));
    assert.ok(plain(view.tooltip).includes(`TF Serving predict: POST ${status.url}/v1/models/tipper:predict`), view.tooltip);
    assert.equal(view.background, null);

    const monitored = await waitFor(() => api.serving.status()?.monitoring || api.serving.status()?.error, 'the monitor running beside the server', SERVE_MS);
    assert.equal(monitored, true, `monitoring: ${JSON.stringify(api.serving.status())}`);
    assert.ok(plain(api.servingStatusBar.view()!.tooltip).includes('Monitoring: mlops monitor --follow is running'), api.servingStatusBar.view()!.tooltip);

    const again = await withDialogs(noAnswer, () => vscode.commands.executeCommand('mlops.startServing', REGISTRY_MODEL));
    assert.match(again.dialogs[0]?.message ?? '', /tipper is already being served at http/);
  });

  test('Send Test Request: three CSV rows typed by the signature → 200 with three predictions, shown in a JSON document; traffic follows', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    assert.ok(serving(api.serving.status()), 'serving (previous test)');
    const { result, dialogs } = await withDialogs(noAnswer, () =>
      vscode.commands.executeCommand<TestRequestResult>('mlops.sendTestRequest', {
        model: REGISTRY_MODEL,
        file: path.join(folder, 'trips.csv'),
        rows: [1, 2, 3],
      }),
    );
    assert.ok(result, JSON.stringify(dialogs));
    assert.equal(result.status, 200, JSON.stringify(result.body));
    assert.deepEqual(result.rows, [1, 2, 3]);
    const predictions = (result.body as { predictions: { probability: number; label: string }[] }).predictions;
    assert.equal(predictions.length, 3);
    for (const p of predictions) assert.ok(p.probability >= 0 && p.probability <= 1 && (p.label === 'true' || p.label === 'false'), JSON.stringify(p));
    assert.deepEqual(
      dialogs.filter((d) => d.kind !== 'information'),
      [],
    );

    const doc = JSON.parse(result.document.getText());
    assert.equal(result.document.languageId, 'json');
    assert.equal(result.document.uri.scheme, 'mlops-response', 'a read-only document, not an unsaved Untitled-1');
    assert.match(path.basename(result.document.uri.path), /\.csv rows 1, 2, 3 · HTTP 200\.json$/);
    assert.equal(result.document.isUntitled, false);
    assert.equal(doc.status, 200);
    assert.deepEqual(doc.columnsNotSent, ['tips']);
    assert.deepEqual(
      doc.results.map((r: { row: number }) => r.row),
      [1, 2, 3],
    );
    assert.deepEqual(Object.keys(doc.request.instances[0]).sort(), ['fare', 'payment_type', 'trip_miles']);
    assert.equal(typeof doc.request.instances[0].fare, 'number');

    const point = await waitFor(() => api.serving.traffic().find((p) => p.requestsPerSecond > 0), 'a traffic point with requests', 30_000);
    assert.equal(point.version, api.serving.status()!.version);
  });

  test('the Monitoring panel of the served model: the server state and its live traffic, drawn and appended point by point', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const status = serving(api.serving.status());
    assert.ok(status, 'serving (previous tests)');
    await vscode.commands.executeCommand('mlops.showMonitoring', REGISTRY_MODEL);
    const panel = () => api.monitoring.openPanels().find((p) => p.model === REGISTRY_MODEL);
    const drawn = await waitFor(
      () => {
        const p = panel();
        return p?.rendered && p.rendered.traffic > 0 && p.rendered.charts.includes('throughput') && p.rendered.charts.includes('live-latency') ? p : undefined;
      },
      'the live charts drawn with the traffic so far',
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; panel: ${JSON.stringify(panel())}`);
    });
    const sentBefore = drawn.trafficSent;
    const { result } = await withDialogs(noAnswer, () =>
      vscode.commands.executeCommand<TestRequestResult>('mlops.sendTestRequest', { model: REGISTRY_MODEL, file: path.join(folder, 'trips.csv'), rows: [4, 5] }),
    );
    assert.equal(result.status, 200);
    // The request's interval reaches the page as a live point, without a new full view.
    const views = drawn.views;
    await waitFor(
      () => {
        const p = panel();
        return p && p.trafficSent > sentBefore && p.rendered && p.rendered.traffic > drawn.rendered!.traffic;
      },
      'live points appended to the page',
      30_000,
    );
    assert.equal(panel()!.views, views, 'live points do not resend the view');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === `Monitoring · ${REGISTRY_MODEL}`);
    await vscode.window.tabGroups.close(tabs);
  });

  test('a row with a bad value: a 400 that names the field, in the document and a warning naming the CSV row; still serving', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const bad = path.join(folder, 'bad-trips.csv');
    fs.writeFileSync(bad, 'trip_miles,fare,payment_type,tips\n2.5,9.5,Cash,0\n1.2,cheap,Cash,0\n');
    const { result, dialogs } = await withDialogs(noAnswer, () =>
      vscode.commands.executeCommand<TestRequestResult>('mlops.sendTestRequest', { file: bad, rows: [1, 2] }),
    );
    assert.equal(result.status, 400);
    assert.match(result.error!, /instances\[1\]\.fare: expected a number/);
    const warning = dialogs.find((d) => d.kind === 'warning');
    assert.ok(warning, JSON.stringify(dialogs));
    assert.match(warning.message, /HTTP 400.*fare.*\(.*bad-trips\.csv row 2\)/);
    assert.match(JSON.parse(result.document.getText()).error, /fare/);
    assert.ok(serving(api.serving.status()));
  });

  test('a push while serving: the server swaps to the new version, the status and the item follow', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const before = serving(api.serving.status())!;
    const file = writeRegistryWorkspace(folder, { seed: 2, alias: 'production', accuracyLower: 0 });
    const { code, output } = await mlops(['run', file, '--store', api.store.path!], folder);
    assert.equal(code, 0, output);
    const after = await waitFor(
      () => (api.serving.status()?.version ?? 0) > before.version! && api.serving.status(),
      'the swap to the pushed version',
      SERVE_MS,
    );
    assert.equal(after.state, 'serving');
    assert.equal(after.startedAt, before.startedAt, 'the same server');
    assert.match(api.servingStatusBar.view()!.text, new RegExp(`^\\$\\(radio-tower\\) tipper v${after.version} · `));
  });

  test('a version that fails to load: the status says which and why, the old version keeps serving', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const before = serving(api.serving.status())!;
    const aliasesFile = path.join(before.dir!, 'aliases.json');
    const aliases = fs.readFileSync(aliasesFile, 'utf8');
    const broken = path.join(before.dir!, '99');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'mlops-model.json'), '{"format": "not a model"}');
    try {
      fs.writeFileSync(aliasesFile, JSON.stringify({ production: 99 }));
      const failed = await waitFor(
        () => api.serving.status()?.error?.startsWith('version 99 cannot be served') && api.serving.status(),
        'the load failure',
        SERVE_MS,
      );
      assert.equal(failed.state, 'serving');
      assert.equal(failed.version, before.version);
      assert.ok(plain(api.servingStatusBar.view()!.tooltip).includes('Problem: version 99 cannot be served'), api.servingStatusBar.view()!.tooltip);
    } finally {
      fs.writeFileSync(aliasesFile, aliases);
      fs.rmSync(broken, { recursive: true, force: true });
    }
  });

  test('Stop Serving: no status, the item hidden, the context key off, the port refuses connections', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const url = api.serving.status()!.url!;
    await withDialogs(noAnswer, () => vscode.commands.executeCommand('mlops.stopServing'));
    assert.equal(api.serving.status(), undefined);
    assert.deepEqual(api.serving.traffic(), []);
    assert.equal(api.servingStatusBar.view(), undefined);
    assert.equal(api.serving.servingContext, false);
    await assert.rejects(fetch(`${url}/v2/health/live`));
  });

  test("a port in use: start fails with the CLI's message naming the port, an error notification, the item in error colours", async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await setPort(port);
      const { result, dialogs } = await withDialogs(noAnswer, () => vscode.commands.executeCommand<ServingStatus>('mlops.startServing', REGISTRY_MODEL));
      assert.equal(result.state, 'failed');
      assert.match(result.error!, new RegExp(`port ${port} .*already in use`));
      const error = dialogs.find((d) => d.kind === 'error');
      assert.ok(error, JSON.stringify(dialogs));
      assert.match(error.message, new RegExp(`^MLOps: cannot serve tipper: port ${port} `));
      assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace');
      assert.equal(api.serving.status()?.state, 'failed');
      assert.equal(api.serving.servingContext, false);
      const view = api.servingStatusBar.view();
      assert.equal(view?.text, '$(error) tipper not serving');
      assert.equal(view?.background, 'statusBarItem.errorBackground');
      assert.ok(plain(view?.tooltip ?? '').includes(`Error: port ${port} on 127.0.0.1 is already in use`), view?.tooltip);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await setPort(0);
    }
    await withDialogs(noAnswer, () => vscode.commands.executeCommand('mlops.stopServing'));
    assert.equal(api.servingStatusBar.view(), undefined);
  });

  test('a server that dies while serving: failed with how it ended, an error notification, the item in error colours, the monitor stopped', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const { dialogs } = await withDialogs(noAnswer, async () => {
      await vscode.commands.executeCommand('mlops.startServing', REGISTRY_MODEL);
      await waitFor(() => serving(api.serving.status()), 'serving', SERVE_MS);
      const { server, monitor } = await waitFor(() => api.serving.status()?.monitoring && api.serving.processIds(), 'the monitor beside the server', SERVE_MS);
      process.kill(server!, 'SIGKILL');
      await waitFor(() => api.serving.status()?.state === 'failed', 'the failed state');
      await waitFor(() => !isAlive(monitor!), 'the monitor to stop with its server');
    });
    const status = api.serving.status()!;
    assert.match(status.error!, /^the server stopped unexpectedly \(killed by SIGKILL\)/);
    assert.equal(status.monitoring, false);
    assert.equal(api.serving.servingContext, false);
    const error = dialogs.find((d) => d.kind === 'error');
    assert.match(
      error?.message ?? JSON.stringify(dialogs),
      new RegExp(`^MLOps: ${REGISTRY_MODEL} is no longer served: the server stopped \\(killed by SIGKILL\\)`),
    );
    assert.deepEqual(
      [api.servingStatusBar.view()?.text, api.servingStatusBar.view()?.background],
      [`$(error) ${REGISTRY_MODEL} not serving`, 'statusBarItem.errorBackground'],
    );
    await withDialogs(noAnswer, () => vscode.commands.executeCommand('mlops.stopServing'));
  });

  test('another model while one is served: a modal asks first; dismissed, the first keeps serving; Stop and Serve switches', async function () {
    this.timeout(TEST_MS);
    const api = await extensionApi();
    const other = `${REGISTRY_MODEL}-b`;
    const runId = api.store.read((s) => s.listModelVersions(REGISTRY_MODEL)[0]?.runId, undefined);
    assert.ok(runId, 'the fixture run');
    const pushed = await mlops(['push', String(runId), '--model', other, '--force', '--store', api.store.path!], folder);
    assert.equal(pushed.code, 0, pushed.output);
    api.store.check(true);
    await withDialogs(noAnswer, () => vscode.commands.executeCommand('mlops.startServing', REGISTRY_MODEL));
    await waitFor(() => serving(api.serving.status()), 'serving the first model', SERVE_MS);

    const dismissed = await withDialogs(noAnswer, () => vscode.commands.executeCommand<ServingStatus | undefined>('mlops.startServing', other));
    assert.equal(dismissed.result, undefined);
    const ask = dismissed.dialogs.find((d) => d.kind === 'warning');
    assert.equal(ask?.message, `Stop serving ${REGISTRY_MODEL} and serve ${other} instead?`);
    assert.deepEqual(ask?.items, ['Stop and Serve']);
    assert.equal(api.serving.status()?.model, REGISTRY_MODEL);
    assert.equal(api.serving.status()?.state, 'serving');

    const switched = await withDialogs(
      (d) => (d.message.startsWith('Stop serving') ? 'Stop and Serve' : undefined),
      () => vscode.commands.executeCommand<ServingStatus>('mlops.startServing', other),
    );
    assert.equal(switched.result?.state, 'serving', JSON.stringify(switched.result));
    const now = await waitFor(() => serving(api.serving.status()), 'serving the second model', SERVE_MS);
    assert.equal(now.model, other);
    assert.match(api.servingStatusBar.view()!.text, new RegExp(`^\\$\\(radio-tower\\) ${other} v1 · `));
    await withDialogs(noAnswer, () => vscode.commands.executeCommand('mlops.stopServing'));
  });
});

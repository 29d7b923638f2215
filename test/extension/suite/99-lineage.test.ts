import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_SHOW_LINEAGE } from '../../../src/extension/commandIds';
import type { LineagePanelInfo } from '../../../src/extension/lineage/panel';
import type { RunsNode } from '../../../src/extension/runs/nodes';
import type { RunRecord } from '../../../src/core/store/types';
import { extensionApi, mlops, waitFor, waitForPanel, workspaceFolder } from '../helpers';

/** A webview boots in a browser shared with the workbench (see 9-training): generous, no timing test. */
const WEBVIEW_TEST_MS = 150_000;

async function closeLineageTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Lineage: '));
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/** The panel whose title is `title`, once its page drew every node the store answered with. */
async function drawnPanel(title: string): Promise<LineagePanelInfo> {
  const api = await extensionApi();
  return waitForPanel(
    () => api.lineage.openPanels().find((p) => p.title === title),
    (p) => p.rendered !== null && p.rendered.empty === null && p.rendered.nodes === p.nodes && p.nodes > 0,
    `the lineage panel "${title}" drawn`,
  );
}

/** Runs `fn` with information messages recorded instead of shown. */
async function withInformation<T>(fn: (shown: string[]) => Promise<T>): Promise<T> {
  const shown: string[] = [];
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window.showInformationMessage;
  window.showInformationMessage = async (message: string) => {
    shown.push(message);
    return undefined;
  };
  try {
    return await fn(shown);
  } finally {
    window.showInformationMessage = original;
  }
}

/**
 * A run of the tiny pipeline of its own, made with the CLI, as the last suite (99): earlier suites
 * expect the session's shared run to be the first to do the work, and some delete runs.
 */
let ownRun: Promise<RunRecord> | undefined;
function lineageRun(): Promise<RunRecord> {
  ownRun ??= (async () => {
    const api = await extensionApi();
    const { code, output } = await mlops(['run', 'tiny.pipeline.yaml'], workspaceFolder().uri.fsPath);
    assert.equal(code, 0, output);
    const id = Number(/run #(\d+)/.exec(output)?.[1]);
    return waitFor(() => {
      api.store.check();
      return api.store.read((s) => s.getRun(id), undefined);
    }, `run #${id} in the store`);
  })();
  return ownRun;
}

suite('lineage: the panel on a run, an artifact and files', () => {
  suiteTeardown(closeLineageTabs);

  test('a run: its executions and artifacts drawn, and drawn again after the panel was hidden', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    const run = await lineageRun();
    await vscode.commands.executeCommand(COMMAND_SHOW_LINEAGE, run.id);
    const shown = await drawnPanel(`Lineage: run #${run.id}`);
    assert.deepEqual(shown.subject, { kind: 'run', runId: run.id });
    // ingest and the report step with the examples and the report (reused from the session's first run by now).
    assert.ok(shown.nodes >= 4, `only ${shown.nodes} nodes`);
    assert.ok(shown.rendered!.edges >= 3, `only ${shown.rendered!.edges} edges`);

    const doc = await vscode.workspace.openTextDocument({ content: 'in front of the lineage panel' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Active });
    await waitForPanel(
      () => api.lineage.openPanels().find((p) => p.title === shown.title),
      (p) => !p.visible && p.rendered === null,
      'the hidden panel',
    );
    api.lineage.open({ kind: 'run', runId: run.id });
    const again = await drawnPanel(shown.title);
    assert.equal(again.nodes, shown.nodes, 'shown again, the page rebuilds the same graph');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor').then(undefined, () => undefined);
  });

  test('an artifact row of the Runs tree, the data file from the Explorer, and the pipeline file', async function () {
    this.timeout(WEBVIEW_TEST_MS);
    const api = await extensionApi();
    const run = await lineageRun();
    const details = api.store.read((s) => s.getRunDetails(run.id), undefined);
    const report = details?.artifacts.find((a) => a.role === 'output' && a.name === 'report');
    assert.ok(report, `run #${run.id} has its report artifact`);
    const row: RunsNode = { kind: 'artifact', runId: run.id, artifact: report, label: 'report.report', producer: 'report', consumers: [] };
    await vscode.commands.executeCommand(COMMAND_SHOW_LINEAGE, row);
    const ofReport = await drawnPanel('Lineage: out/report.txt');
    assert.deepEqual(ofReport.subject, { kind: 'artifact', artifactIds: [report.id] });

    const data = vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'data', 'train.csv'));
    await vscode.commands.executeCommand(COMMAND_SHOW_LINEAGE, data);
    const ofData = await drawnPanel('Lineage: data/train.csv');
    assert.equal(ofData.subject.kind, 'artifact');

    const pipeline = vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'tiny.pipeline.yaml'));
    await vscode.commands.executeCommand(COMMAND_SHOW_LINEAGE, pipeline);
    const newest = api.store.read((s) => s.listRuns({ pipeline: 'tiny', limit: 1 }).runs[0]?.id, undefined);
    const ofPipeline = await drawnPanel(`Lineage: run #${newest}`);
    assert.deepEqual(ofPipeline.subject, { kind: 'run', runId: newest });
  });

  test('a file no run read or wrote: a message, no panel', async () => {
    const api = await extensionApi();
    const before = api.lineage.openPanels().length;
    const shown = await withInformation(async (messages) => {
      await vscode.commands.executeCommand(COMMAND_SHOW_LINEAGE, vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'report.js')));
      return messages;
    });
    assert.deepEqual(shown, ['MLOps: no run has read or written report.js.']);
    assert.equal(api.lineage.openPanels().length, before);
  });
});

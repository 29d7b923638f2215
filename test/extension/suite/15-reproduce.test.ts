import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MlopsExtensionApi } from '../../../src/extension/api';
import type { RunRecord } from '../../../src/core/store/types';
import { executeAndWait, extensionApi, mlopsTask, runsInTree, waitFor, withDialogs, workspaceFolder } from '../helpers';

/** The finished runs that reproduce `runId`, as the store has them. */
function reproductions(api: MlopsExtensionApi, runId: number): RunRecord[] {
  api.store.check();
  return api.store.read((s) => s.listRuns({ limit: 1000 }).runs, []).filter((r) => r.reproducesRunId === runId);
}

async function nextReproduction(api: MlopsExtensionApi, runId: number, before: number): Promise<RunRecord> {
  return waitFor(
    () => {
      const runs = reproductions(api, runId);
      return runs.length > before && runs[0].status !== 'running' && runs[0];
    },
    `a finished reproduction of run #${runId}`,
    60_000,
  );
}

/** A complete run of the tiny pipeline of this suite's own (another suite may delete the shared one). */
async function freshRun(api: MlopsExtensionApi): Promise<RunRecord> {
  const before = new Set((await runsInTree(api, 'tiny')).map((r) => r.id));
  assert.equal(await executeAndWait(await mlopsTask('tiny: run pipeline')), 0);
  return waitFor(async () => {
    api.store.check();
    return (await runsInTree(api, 'tiny')).find((r) => !before.has(r.id) && r.status === 'complete');
  }, 'the new run in the Runs tree');
}

suite('reproduce', () => {
  let run: RunRecord;
  suiteSetup(async () => {
    run = await freshRun(await extensionApi());
  });

  test('Reproduce Run re-runs a run as a task when nothing differs, and the Runs tree says what it reproduces', async () => {
    const api = await extensionApi();
    const before = reproductions(api, run.id).length;
    const { dialogs } = await withDialogs(
      () => undefined,
      () => vscode.commands.executeCommand('mlops.reproduceRun', run.id),
    );
    assert.deepEqual(
      dialogs.filter((d) => d.kind !== 'information'),
      [],
    );
    const reproduction = await nextReproduction(api, run.id, before);
    assert.equal(reproduction.status, 'complete');
    const item = api.runsTree.getTreeItem({ kind: 'run', run: reproduction });
    assert.match(String(item.description), new RegExp(`reproduces #${run.id}`));
  });

  test('a changed data file is listed in a modal: Reproduce Anyway goes on, closing it does not', async () => {
    const api = await extensionApi();
    const data = path.join(workspaceFolder().uri.fsPath, 'data', 'train.csv');
    const original = fs.readFileSync(data, 'utf8');
    const lines = original.trimEnd().split('\n');
    fs.writeFileSync(data, [...lines, lines[lines.length - 1]].join('\n') + '\n');
    try {
      const before = reproductions(api, run.id).length;
      const declined = await withDialogs(
        () => undefined,
        () => vscode.commands.executeCommand('mlops.reproduceRun', run.id),
      );
      const modal = declined.dialogs.find((d) => d.kind === 'warning');
      assert.ok(modal, `a warning: ${JSON.stringify(declined.dialogs)}`);
      assert.equal(modal.message, `Run #${run.id} cannot be reproduced as it ran: 1 difference.`);
      assert.match(modal.detail ?? '', /✗ data file data\/train\.csv changed \(recorded sha256:[0-9a-f]{12}, now sha256:[0-9a-f]{12}\)/);
      assert.deepEqual(modal.items, ['Reproduce Anyway']);
      // The command returned after the answer: a declined reproduction never started a run.
      assert.equal(reproductions(api, run.id).length, before);

      await withDialogs(
        (d) => (d.kind === 'warning' ? 'Reproduce Anyway' : undefined),
        () => vscode.commands.executeCommand('mlops.reproduceRun', run.id),
      );
      const forced = await nextReproduction(api, run.id, before);
      assert.equal(forced.status, 'complete');
    } finally {
      fs.writeFileSync(data, original);
    }
  });
});

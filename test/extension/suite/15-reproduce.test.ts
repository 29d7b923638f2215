import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MlopsExtensionApi } from '../../../src/extension/api';
import type { RunRecord } from '../../../src/core/store/types';
import { extensionApi, mlops, waitFor, withDialogs, workspaceFolder } from '../helpers';

/**
 * A pipeline of this suite's own, so its runs leave the tiny pipeline's runs and cache as the other
 * suites expect them (its settings differ, so no cache key is shared with tiny's).
 */
const FILES: Record<string, string> = {
  'reproduce.pipeline.yaml': `pipeline: reproduce
seed: 11
data:
  train: data/reproduce.csv
  split: { eval: 0.5, seed: 11 }
steps:
  - name: summary
    run: node reproduce-step.js
    after: ingest
    outputs: { summary: out/reproduce.txt }
`,
  'reproduce-step.js': `const fs = require('fs');
fs.mkdirSync('out', { recursive: true });
fs.writeFileSync('out/reproduce.txt', fs.readFileSync('data/reproduce.csv', 'utf8').split('\\n').length + ' lines\\n');
`,
  'data/reproduce.csv': 'x,y\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n',
};

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

suite('reproduce', () => {
  const root = () => workspaceFolder().uri.fsPath;
  let run: RunRecord;

  suiteSetup(async () => {
    const api = await extensionApi();
    for (const [file, text] of Object.entries(FILES)) fs.writeFileSync(path.join(root(), file), text);
    const made = await mlops(['run', 'reproduce.pipeline.yaml', '--store', api.store.path!], root());
    assert.equal(made.code, 0, made.output);
    api.store.check();
    run = api.store.read((s) => s.listRuns({ pipeline: 'reproduce', limit: 1 }).runs[0], undefined)!;
    assert.equal(run.status, 'complete');
  });

  suiteTeardown(() => {
    for (const file of [...Object.keys(FILES), 'out/reproduce.txt']) fs.rmSync(path.join(root(), file), { force: true });
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
    const data = path.join(root(), 'data', 'reproduce.csv');
    fs.appendFileSync(data, '13,14\n');
    try {
      const before = reproductions(api, run.id).length;
      const declined = await withDialogs(
        () => undefined,
        () => vscode.commands.executeCommand('mlops.reproduceRun', run.id),
      );
      const modal = declined.dialogs.find((d) => d.kind === 'warning');
      assert.ok(modal, `a warning: ${JSON.stringify(declined.dialogs)}`);
      assert.equal(modal.message, `Run #${run.id} cannot be reproduced as it ran: 1 difference.`);
      assert.match(modal.detail ?? '', /✗ data file data\/reproduce\.csv changed \(recorded sha256:[0-9a-f]{12}, now sha256:[0-9a-f]{12}\)/);
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
      fs.writeFileSync(data, FILES['data/reproduce.csv']);
    }
  });
});

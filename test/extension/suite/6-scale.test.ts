import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store';
import { extensionApi, waitFor, workspaceFolder } from '../helpers';

/**
 * The Runs tree over a store with 10,000 runs: a page per group and "Load more…", never the whole
 * table. Timings are printed for the record, not asserted (they depend on the machine).
 */
suite('scale', () => {
  const N = 10_000;
  let storeFile: string;

  suiteSetup(async function () {
    this.timeout(120_000);
    const api = await extensionApi();
    storeFile = path.join(workspaceFolder().uri.fsPath, '.mlops-scale', 'store.sqlite');
    fs.rmSync(path.dirname(storeFile), { recursive: true, force: true });
    const store = RunStore.open(storeFile);
    const t0 = Date.now();
    for (let i = 0; i < N; i++) {
      const run = store.createRun({
        pipelineName: ['taxi', 'churn', 'fraud'][i % 3],
        pipelineFile: 'x.pipeline.yaml',
        pipelineHash: 'sha256:00',
        toolVersion: '0.1.0',
        startedAt: 1_700_000_000_000 + i * 1000,
      });
      store.finishRun(run.id, i % 10 === 0 ? 'failed' : 'complete', i % 10 === 0 ? 'boom' : null);
    }
    store.close();
    console.log(`      (wrote ${N} runs in ${Date.now() - t0} ms)`);
    await vscode.workspace.getConfiguration().update('mlops.storePath', storeFile, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => api.store.path === storeFile, 'the store to move');
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration().update('mlops.storePath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('groups show the newest page of runs and "Load more…" fetches the next', async () => {
    const api = await extensionApi();
    let t = process.hrtime.bigint();
    const groups = api.runsTree.getChildren();
    const rootMs = Number(process.hrtime.bigint() - t) / 1e6;
    assert.deepEqual(
      groups.map((g) => (g.kind === 'group' ? g.pipeline : '?')),
      ['taxi', 'fraud', 'churn'],
      'newest activity first',
    );
    t = process.hrtime.bigint();
    const rows = api.runsTree.getChildren(groups[0]);
    const items = rows.map((r) => api.runsTree.getTreeItem(r));
    const pageMs = Number(process.hrtime.bigint() - t) / 1e6;
    const runs = rows.filter((r) => r.kind === 'run');
    assert.equal(runs.length, 200);
    assert.equal(rows.at(-1)?.kind, 'more');
    assert.equal(items.at(-1)?.label, 'Load more…');
    const first = runs[0].kind === 'run' ? runs[0].run : undefined;
    assert.equal(first?.id, N, 'the newest taxi run first');
    t = process.hrtime.bigint();
    api.runsTree.loadMore('taxi');
    const more = api.runsTree.getChildren(groups[0]).filter((r) => r.kind === 'run');
    const moreMs = Number(process.hrtime.bigint() - t) / 1e6;
    assert.equal(more.length, 400);
    t = process.hrtime.bigint();
    api.store.check(true);
    api.runsTree.getChildren();
    const refreshMs = Number(process.hrtime.bigint() - t) / 1e6;
    console.log(
      `      (roots ${rootMs.toFixed(1)} ms, a page of 200 with tree items ${pageMs.toFixed(1)} ms, load more ${moreMs.toFixed(1)} ms, refresh ${refreshMs.toFixed(1)} ms)`,
    );
  });
});

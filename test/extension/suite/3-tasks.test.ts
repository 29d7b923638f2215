import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunEvent } from '../../../src/core/runner/events';
import { ensureCompletedRun, executeAndWait, extensionApi, mlopsTask, runsInTree, waitFor, withDialogs, workspaceFolder } from '../helpers';

suite('tasks', () => {
  suiteSetup(() => extensionApi());

  test('provides a task per pipeline and per component', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'mlops' });
    const names = tasks.map((t) => t.name).sort();
    for (const name of ['tiny: run pipeline', 'tiny: ingest', 'tiny: report', 'broken: run pipeline']) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    const ingest = tasks.find((t) => t.name === 'tiny: ingest')!;
    assert.deepEqual({ ...ingest.definition }, { type: 'mlops', pipeline: 'tiny.pipeline.yaml', component: 'ingest' });
    assert.equal(ingest.source, 'mlops');
    assert.ok(ingest.execution instanceof vscode.CustomExecution);
  });

  test('resolves a task written in tasks.json', async () => {
    const api = await extensionApi();
    const written = new vscode.Task({ type: 'mlops', pipeline: 'tiny.pipeline.yaml', component: 'report' }, workspaceFolder(), 'my report', 'mlops');
    const resolved = api.tasks.resolveTask(written);
    assert.ok(resolved, 'resolved');
    assert.ok(resolved.execution instanceof vscode.CustomExecution);
    assert.equal(resolved.definition, written.definition, 'keeps the definition object');
    assert.equal(api.tasks.resolveTask(new vscode.Task({ type: 'mlops' }, workspaceFolder(), 'x', 'mlops')), undefined);
  });

  test('running the pipeline task adds a complete run to the Runs tree', async () => {
    const api = await extensionApi();
    const events: RunEvent[] = [];
    const sub = api.onDidRunEvent((e) => events.push(e));
    try {
      const run = await ensureCompletedRun(api);
      assert.equal(run.status, 'complete');
      assert.equal(run.pipelineName, 'tiny');
      const rows = await runsInTree(api, 'tiny');
      assert.equal(rows[0].id, run.id, 'newest first');
      const item = api.runsTree.getTreeItem({ kind: 'run', run });
      assert.equal(item.label, `#${run.id}`);
      assert.match(String(item.description), /^complete · .+ · /);
      // The structured events arrived on the side channel while the task ran.
      assert.ok(
        events.some((e) => e.type === 'run-started' && e.runId === run.id),
        'run-started event',
      );
      assert.ok(
        events.some((e) => e.type === 'run-finished' && e.runId === run.id && e.status === 'complete'),
        'run-finished event',
      );
    } finally {
      sub.dispose();
    }
  });

  test('a finished run is told in a notification with Open Run', async () => {
    const api = await extensionApi();
    const { dialogs } = await withDialogs(
      () => undefined,
      async () => {
        // The notifier listens from activation on, so it has spoken by the time this listener hears the event.
        const finished = new Promise<RunEvent>((resolve) => {
          const sub = api.onDidRunEvent((e) => e.type === 'run-finished' && (sub.dispose(), resolve(e)));
        });
        assert.equal(await executeAndWait(await mlopsTask('tiny: ingest')), 0);
        return finished;
      },
    );
    const told = dialogs.find((d) => /^MLOps: tiny run #\d+ complete in /.test(d.message));
    assert.ok(told, `dialogs: ${JSON.stringify(dialogs)}`);
    assert.deepEqual([told.kind, told.items], ['information', ['Open Run']]);
  });

  test('a component task runs only that component (and what it needs)', async () => {
    const api = await extensionApi();
    const exitCode = await executeAndWait(await mlopsTask('tiny: ingest'));
    assert.equal(exitCode, 0);
    const run = await waitFor(async () => {
      api.store.check();
      return (await runsInTree(api, 'tiny')).find((r) => r.component === 'ingest' && r.status !== 'running');
    }, 'the ingest run');
    assert.equal(run.status, 'complete');
  });

  test('a run of a broken pipeline file ends with the user-error exit code', async () => {
    const exitCode = await executeAndWait(await mlopsTask('broken: run pipeline'));
    assert.equal(exitCode, 2, 'ExitCode.error');
  });
});

suite('cancel', () => {
  suiteSetup(() => extensionApi());

  /** Starts the slow pipeline and resolves once its endless step runs. */
  async function startSlow(api: Awaited<ReturnType<typeof extensionApi>>) {
    let sub: vscode.Disposable | undefined;
    const waiting = new Promise<number>((resolve) => {
      sub = api.onDidRunEvent((e) => {
        if (e.type === 'component-started' && e.component === 'wait') resolve(e.runId);
      });
    });
    const ended = executeAndWait(await mlopsTask('slow: run pipeline'));
    try {
      const runId = await Promise.race([waiting, ended.then(() => Promise.reject(new Error('the slow pipeline ended by itself')))]);
      return { runId, ended };
    } finally {
      sub?.dispose();
    }
  }

  async function finalStatus(api: Awaited<ReturnType<typeof extensionApi>>, runId: number) {
    const run = await waitFor(() => {
      api.store.check();
      const r = api.store.read((s) => s.getRun(runId), undefined);
      return r && r.status !== 'running' ? r : undefined;
    }, 'the run to end');
    return run.status;
  }

  test('Ctrl+C in the task terminal cancels the run; the task exits 130', async () => {
    const api = await extensionApi();
    const { runId, ended } = await startSlow(api);
    const terminal = await waitFor(() => vscode.window.terminals.find((t) => t.name.includes('slow: run pipeline')), 'the task terminal');
    terminal.sendText('\x03', false);
    assert.equal(await ended, 130, 'ExitCode.canceled');
    assert.equal(await finalStatus(api, runId), 'canceled');
  });

  test('MLOps: Cancel Running Pipeline (the status bar command) terminates the task; the run ends canceled', async () => {
    const api = await extensionApi();
    const { runId, ended } = await startSlow(api);
    await vscode.commands.executeCommand('mlops.cancelRun');
    // A terminated task has no exit code in VS Code's events; the store says how it ended.
    await ended;
    assert.equal(await finalStatus(api, runId), 'canceled');
  });
});

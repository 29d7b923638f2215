import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WatchStatus } from '../../../src/extension/watch/controller';
import { isAlive } from '../../helpers/process';
import { extensionApi, runsInTree, waitFor, withDialogs, workspaceFolder } from '../helpers';

/** A triggered run starts the CLI in a child process; generous, and no timing assertion. */
const RUN_MS = 60_000;
const PIPELINE = 'watched';

const noAnswer = () => undefined;

/** A MarkdownString's text as read: appendText escapes spaces and punctuation. */
const plain = (markdown: string) =>
  markdown
    .replace(/\*\*/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/\\(.)/g, '$1');

suite('watch: Watch Pipeline runs the pipeline on a new span, Stop Watching', () => {
  let folder: string;
  let file: string;

  suiteSetup(async () => {
    folder = path.join(workspaceFolder().uri.fsPath, 'watch-fixture');
    fs.mkdirSync(path.join(folder, 'data'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'data', 'day-1.csv'), 'a,b\n1,2\n3,4\n');
    file = path.join(folder, 'watched.pipeline.yaml');
    fs.writeFileSync(file, `pipeline: ${PIPELINE}\ndata:\n  train: 'data/*.csv'\nstatistics: {}\ntriggers: { settle: 300ms }\n`);
    const api = await extensionApi();
    await api.pipelines.rescan();
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    const api = await extensionApi();
    await api.watch.stop();
    fs.rmSync(folder, { recursive: true, force: true });
    await api.pipelines.rescan();
  });

  test('watches in a child process with a status-bar item; a new span runs, the Runs tree and the item show its trigger; Stop Watching ends it', async function () {
    this.timeout(RUN_MS * 2);
    const api = await extensionApi();
    const { result, dialogs } = await withDialogs(noAnswer, () => vscode.commands.executeCommand<WatchStatus>('mlops.watchPipeline', vscode.Uri.file(file)));
    assert.equal(result?.state, 'watching', `${JSON.stringify(result)} ${JSON.stringify(dialogs)}`);
    assert.ok(
      dialogs.some((d) => d.message === `MLOps: watching ${PIPELINE}; triggered runs appear in the Runs view.`),
      JSON.stringify(dialogs),
    );
    const pid = api.watch.pid!;
    assert.ok(pid !== process.pid && isAlive(pid), 'mlops watch runs in its own process');
    const idle = api.watchStatusBar.view();
    assert.equal(idle?.text, `$(eye) ${PIPELINE}`);
    assert.match(plain(idle.tooltip), /New spans: data\/\*\.csv \(settled for 300 ms\)/);

    const span = path.join(folder, 'data', 'day-2.csv');
    fs.writeFileSync(span, 'a,b\n5,6\n');
    const done = await waitFor(
      () => {
        const last = api.watch.status()?.last;
        return last?.runId != null && last.status !== 'running' && last.status !== 'queued' ? last : undefined;
      },
      'the triggered run to finish',
      RUN_MS,
    );
    assert.equal(done.status, 'complete');
    assert.deepEqual(done.trigger, { kind: 'span', files: [span] });
    const run = await waitFor(
      async () => (await runsInTree(api, PIPELINE)).find((r) => r.id === done.runId && r.status === 'complete'),
      'the run in the Runs tree',
    );
    assert.deepEqual(run.trigger, { kind: 'span', files: [span] });
    const item = api.runsTree.getTreeItem({ kind: 'run', run });
    assert.match(String(item.description), /⚡ new span$/);
    assert.match(plain((item.tooltip as vscode.MarkdownString).value), /Trigger: new span data\/day-2\.csv/);
    assert.equal(api.watchStatusBar.view()?.text, `$(eye) ${PIPELINE} · $(zap) new span → #${done.runId} complete`);

    await vscode.commands.executeCommand('mlops.stopWatching');
    assert.equal(api.watch.status(), undefined);
    assert.equal(api.watchStatusBar.view(), undefined);
    await waitFor(() => !isAlive(pid), 'the watcher process to end');
  });

  test('a pipeline file with a bad schedule is not watched: the item and an error say why, with its line', async function () {
    this.timeout(RUN_MS);
    const api = await extensionApi();
    const broken = path.join(folder, 'broken.pipeline.yaml');
    fs.writeFileSync(broken, `pipeline: broken\ndata:\n  train: 'data/*.csv'\ntriggers: { schedule: "0 25 * * *" }\n`);
    await api.pipelines.rescan();
    const { result, dialogs } = await withDialogs(noAnswer, () => vscode.commands.executeCommand<WatchStatus>('mlops.watchPipeline', vscode.Uri.file(broken)));
    assert.equal(result?.state, 'failed');
    assert.match(result.error!, /broken\.pipeline\.yaml:4:\d+: .*triggers\.schedule: '0 25 \* \* \*' is not a cron expression/);
    assert.ok(
      dialogs.some((d) => d.kind === 'error' && /cannot watch broken/.test(d.message)),
      JSON.stringify(dialogs),
    );
    assert.equal(api.watchStatusBar.view()?.text, '$(error) broken: not watched');
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as commandIds from '../../../src/extension/commandIds';
import { checkStoreDriver } from '../../../src/extension/store/driver';
import { UserError } from '../../../src/core/util/problems';
import { EXTENSION_ID, extensionApi } from '../helpers';

suite('activation', () => {
  test('the extension activates in a workspace with pipeline files and exports its API', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension is installed');
    const api = await extensionApi();
    assert.ok(ext.isActive);
    assert.ok(api.runsTree && api.store && api.pipelines, 'API exposes the trees and the store');
    // A figure for the log, not a limit: timing assertions would make the suite flaky.
    const timed = api.activation;
    assert.ok(timed && timed.loadMs > 0 && timed.activateMs > 0, 'activation was timed from the bundle');
    const figures = `${timed.loadMs.toFixed(0)} ms loading the bundle, ${timed.activateMs.toFixed(0)} ms in activate (called ${timed.waitMs.toFixed(0)} ms after the load)`;
    console.log(`      activation: ${figures}, Node ${process.versions.node}, VS Code ${vscode.version}`);
  });

  test("the store runs on the extension host's built-in node:sqlite, never on a native module", async () => {
    const api = await extensionApi();
    assert.equal(api.storeDriver?.name, 'node:sqlite', `Node ${process.versions.node} in VS Code ${vscode.version}`);
    assert.equal(api.storeDriver?.nodeVersion, process.versions.node);
    const loaded = Object.keys(require.cache).filter((file) => /better[-_]sqlite3/.test(file));
    assert.deepEqual(loaded, [], 'better-sqlite3 was never loaded into the extension host');
  });

  test('a store driver that cannot load is reported once, and activation goes on', () => {
    const shown: string[] = [];
    const logged: string[] = [];
    const log = { info: (m: string) => logged.push(m), error: (m: string) => logged.push(`error: ${m}`) } as unknown as vscode.LogOutputChannel;
    const info = checkStoreDriver({
      log,
      choose: () => {
        throw UserError.at('the run store needs SQLite: Node v20.0.0 has no built-in node:sqlite, and better-sqlite3 is not installed');
      },
      showError: (message) => shown.push(message),
    });
    assert.equal(info, undefined);
    assert.equal(shown.length, 1);
    assert.match(shown[0], /cannot open run stores in this editor: .*needs SQLite: Node v20\.0\.0 has no built-in node:sqlite/);
    assert.match(logged.join('\n'), /^error: MLOps Pipelines cannot open run stores/m);
  });

  test('registers every command it contributes (the manifest and commandIds.ts agree: test/views/commandIds.test.ts)', async () => {
    await extensionApi();
    const commands = new Set(await vscode.commands.getCommands(true));
    const missing = Object.values(commandIds).filter((id) => !commands.has(id));
    assert.deepEqual(missing, [], 'contributed but not registered');
  });

  test('indexes the pipeline files of the workspace', async () => {
    const api = await extensionApi();
    const byName = new Map(api.pipelines.list().map((p) => [p.name, p]));
    assert.deepEqual(
      byName.get('tiny')?.components.map((c) => c.name),
      ['ingest', 'report'],
    );
    assert.equal(byName.get('tiny')?.relativePath, 'tiny.pipeline.yaml');
    assert.equal(byName.get('broken')?.hasErrors, true);
  });

  test('the Pipelines tree lists the pipelines with their components', async () => {
    const api = await extensionApi();
    const roots = await api.pipelinesTree.getChildren();
    const tiny = roots.find((n) => n.kind === 'pipeline' && n.entry.name === 'tiny');
    assert.ok(tiny, 'tiny is a root of the Pipelines tree');
    const item = api.pipelinesTree.getTreeItem(tiny);
    assert.equal(item.description, 'tiny.pipeline.yaml');
    const components = await api.pipelinesTree.getChildren(tiny);
    assert.deepEqual(
      components.map((n) => (n.kind === 'component' ? n.component.name : '?')),
      ['ingest', 'report'],
    );
  });
});

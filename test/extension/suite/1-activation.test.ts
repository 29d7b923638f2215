import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi } from '../helpers';

suite('activation', () => {
  test('the extension activates in a workspace with pipeline files and exports its API', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension is installed');
    const api = await extensionApi();
    assert.ok(ext.isActive);
    assert.ok(api.runsTree && api.store && api.pipelines, 'API exposes the trees and the store');
  });

  test('contributes its commands', async () => {
    await extensionApi();
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of ['mlops.runPipeline', 'mlops.runComponent', 'mlops.openRun', 'mlops.deleteRun', 'mlops.refresh', 'mlops.cancelRun']) {
      assert.ok(commands.has(id), `${id} is registered`);
    }
  });

  test('indexes the pipeline files of the workspace', async () => {
    const api = await extensionApi();
    const byName = new Map(api.pipelines.list().map((p) => [p.name, p]));
    assert.deepEqual(byName.get('tiny')?.components.map((c) => c.name), ['ingest', 'report']);
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

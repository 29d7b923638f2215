import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, fixtureUri, waitFor } from '../helpers';

suite('diagnostics', () => {
  suiteSetup(() => extensionApi());

  test('a broken pipeline file gets an error at the offending key', async () => {
    const uri = fixtureUri('broken.pipeline.yaml');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mlops');
      return d.length ? d : undefined;
    }, 'diagnostics for broken.pipeline.yaml');
    assert.equal(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    // `  epochs: 3` is line 6 (1-based): the range covers the key.
    assert.equal(d.range.start.line, 5);
    assert.equal(d.range.start.character, 2);
    assert.equal(d.range.end.line, 5);
    assert.equal(d.range.end.character, 8);
    assert.match(d.message, /epochs/);
    assert.match(d.message, /hint: /);
  });

  test('a valid pipeline file has none', async () => {
    const uri = fixtureUri('tiny.pipeline.yaml');
    const api = await extensionApi();
    const editor = await vscode.window.showTextDocument(uri);
    // An edit that keeps the file valid (a comment) is checked whether or not the file was already open.
    const checked = new Promise<void>((resolve) => {
      const listener = api.diagnostics.onDidCheckDocument((checkedUri) => {
        if (checkedUri.toString() !== uri.toString()) return;
        listener.dispose();
        resolve();
      });
    });
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '# a comment\n'));
    await checked;
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mlops'),
      [],
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('diagnostics follow unsaved edits and go away when the edit is undone', async () => {
    const uri = fixtureUri('tiny.pipeline.yaml');
    const editor = await vscode.window.showTextDocument(uri);
    const mlops = () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mlops');
    // A top-level key the schema does not know, inserted as line 4 (0-based 3).
    await editor.edit((b) => b.insert(new vscode.Position(3, 0), 'bogus: 1\n'));
    const [d] = await waitFor(() => (mlops().length ? mlops() : undefined), 'a diagnostic for the edit');
    assert.equal(d.range.start.line, 3);
    assert.match(d.message, /bogus/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor(() => mlops().length === 0, 'the diagnostic to clear after revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a column name the data does not have is flagged where it is written', async () => {
    const uri = fixtureUri('typo.pipeline.yaml');
    const text = 'pipeline: typo\ndata:\n  train: data/train.csv\nfeatures:\n  derive:\n    big_tipper: "tips > 0.2 * fair"\n';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    try {
      await vscode.window.showTextDocument(uri);
      const [d] = await waitFor(() => {
        const found = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mlops');
        return found.length ? found : undefined;
      }, 'a diagnostic for the unknown column');
      assert.match(d.message, /fair/);
      assert.match(d.message, /did you mean 'fare'/);
      // `fair` starts at column 31 (1-based) of line 6 (inside the quotes).
      assert.deepEqual([d.range.start.line, d.range.start.character], [5, 30]);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('a misspelt name offers its right spelling as a quick fix: a slice column and a key', async () => {
    const uri = fixtureUri('quickfix.pipeline.yaml');
    const text = 'pipeline: quickfix\ndata:\n  train: data/train.csv\nlabl: tips\nstatistics:\n  slices: [[payment_typ]]\n';
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    const mlops = () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'mlops');
    try {
      const editor = await vscode.window.showTextDocument(uri);
      // The key first: the data's columns are checked once the file parses.
      for (const [misspelt, expected] of [
        ['labl', "Change to 'label'"],
        ['payment_typ', "Change to 'payment_type'"],
      ]) {
        const fixes = await waitFor(
          async () => {
            const all = (
              await Promise.all(mlops().map((d) => vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range)))
            ).flat();
            const found = all.filter((a) => a.title === expected);
            return found.length ? found : undefined;
          },
          `the quick fix ${expected} (diagnostics: ${JSON.stringify(mlops().map((d) => d.message))})`,
        );
        assert.equal(fixes[0].isPreferred, true);
        assert.ok(await vscode.workspace.applyEdit(fixes[0].edit!));
        await waitFor(() => !mlops().some((d) => d.message.includes(`'${misspelt}'`)) || undefined, `the diagnostic of '${misspelt}' to go`);
      }
      assert.equal(editor.document.getText(), 'pipeline: quickfix\ndata:\n  train: data/train.csv\nlabel: tips\nstatistics:\n  slices: [[payment_type]]\n');
      assert.deepEqual(mlops(), []);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('CodeLens offers to run the pipeline and each component', async () => {
    const uri = fixtureUri('tiny.pipeline.yaml');
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l?.length ? l : undefined;
    }, 'code lenses');
    const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title}`);
    // `pipeline: tiny` is line 3, `data:` line 5, `- name: report` line 9 (1-based).
    assert.ok(titles.includes('2:▶ Run pipeline'), titles.join(', '));
    assert.ok(titles.includes('4:▶ Run ingest'), titles.join(', '));
    assert.ok(titles.includes('8:▶ Run report'), titles.join(', '));
  });
});

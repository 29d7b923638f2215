import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store';
import type { ValidationReport } from '../../../src/core/validate/types';
import { applySchemaFix, revealSchemaEntry, toWorkspaceEdit } from '../../../src/extension/anomalies/apply';
import { fixesFor, fixTitle, relaxedThreshold, type SchemaFix } from '../../../src/extension/anomalies/fixes';
import { isFixApplied, schemaFixEdits, type TextEdit } from '../../../src/extension/anomalies/schemaEdits';
import { compareArgs, toDriftRows } from '../../../src/extension/drift/collect';
import { isAnomaliesFromWebviewMessage } from '../../../src/shared/anomalies';
import { isDriftFromWebviewMessage } from '../../../src/shared/drift';
import { EXTENSION_ID, extensionApi, waitFor, workspaceFolder } from '../helpers';

const FIXTURES = () => path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'anomalies');
const PIPELINE = 'taxi-validation';

function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES(), name), 'utf8');
}

function apply(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.offset - a.offset).reduce((t, e) => t.slice(0, e.offset) + e.content + t.slice(e.offset + e.length), text);
}

const report = (): ValidationReport => JSON.parse(readFixture('anomalies/anomalies.json')) as ValidationReport;

function fixOf(type: string, feature: string | null): SchemaFix {
  const r = report();
  const a = r.anomalies.find((x) => x.type === type && x.feature === feature);
  assert.ok(a, `fixture anomaly ${type} ${feature}`);
  const [fix] = fixesFor(a, r);
  assert.ok(fix, `a fix for ${type}`);
  return fix;
}

/** 0-based line of the first line matching. */
function lineOf(text: string, needle: string): number {
  return text.split(/\r?\n/).findIndex((l) => l.includes(needle));
}

suite('anomalies', () => {
  let folder: string;
  let schemaFile: string;
  let pipelineFile: string;
  let runId: number;
  let original: string;

  suiteSetup(async () => {
    const api = await extensionApi();
    // The fixtures, copied into the test workspace, and a run that produced them, written through
    // the store API the way the runner does (independent of the validate component).
    folder = path.join(workspaceFolder().uri.fsPath, 'validation-fixture');
    fs.cpSync(FIXTURES(), folder, { recursive: true });
    schemaFile = path.join(folder, 'data-schema.json');
    pipelineFile = path.join(folder, 'validation.pipeline.yaml');
    original = fs.readFileSync(schemaFile, 'utf8');
    const store = RunStore.open(api.store.path!);
    try {
      const run = store.createRun({ pipelineName: PIPELINE, pipelineFile, pipelineHash: 'sha256:fixture', toolVersion: 'test' });
      const publish = (executionId: number, type: string, uri: string, name: string) => {
        const a = store.createArtifact({ type, uri });
        store.publishArtifact(a.id, { contentHash: `sha256:${type}-${run.id}`, sizeBytes: 1 });
        store.linkArtifact(executionId, a.id, 'output', name);
      };
      const schema = store.startExecution(run.id, 'schema', 'schema');
      publish(schema.id, 'Schema', schemaFile, 'schema');
      store.finishExecution(schema.id, 'complete');
      const validate = store.startExecution(run.id, 'validate', 'validate');
      publish(validate.id, 'Anomalies', path.join(folder, 'anomalies'), 'anomalies');
      store.finishExecution(validate.id, 'complete');
      store.finishRun(run.id, 'complete');
      runId = run.id;
    } finally {
      store.close();
    }
    api.store.check();
    await api.anomalies.results.refresh();
    await waitFor(() => api.anomalies.results.latest().some((v) => v.runId === runId), 'the run among the validation results');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('quick-fix edits: the result parses, has the new value, and keeps the formatting', () => {
    const text = readFixture('data-schema.json');
    const check = (fix: SchemaFix, probe: (schema: any) => unknown, expected: unknown) => {
      const edits = schemaFixEdits(text, fix);
      assert.equal(edits.length, 1, fixTitle(fix));
      const after = apply(text, edits);
      assert.deepEqual(probe(JSON.parse(after)), expected, fixTitle(fix));
      // Only the edited lines differ: every other line keeps its text and indentation.
      const before = text.split('\n');
      const changed = after.split('\n');
      const first = text.slice(0, edits[0].offset).split('\n').length - 1;
      const last = text.slice(0, edits[0].offset + edits[0].length).split('\n').length - 1;
      for (let i = 0; i < first; i++) assert.equal(changed[i], before[i]);
      for (let i = 1; i < before.length - last; i++) assert.equal(changed.at(-i), before.at(-i));
      // Applied once, the fix has nothing more to do.
      assert.deepEqual(schemaFixEdits(after, fix), []);
      assert.ok(isFixApplied(after, fix));
      return after;
    };
    // A multi-line array gets new lines at its indentation.
    const domain = check(fixOf('ENUM_TYPE_UNEXPECTED_STRING_VALUES', 'payment_type'), (s) => s.features.payment_type.domain, [
      'Cash',
      'Credit Card',
      'No Charge',
      'Mobile',
      'Prcard',
    ]);
    assert.ok(domain.includes('        "No Charge",\n        "Mobile",\n        "Prcard"\n      ],'), domain);
    // A one-line array stays on one line.
    const inline = check({ kind: 'allowValues', feature: 'company', values: ['Uber', 'Flash Cab'] }, (s) => s.features.company.domain.length, 4);
    assert.ok(inline.includes('"domain": ["Blue Ribbon Taxi", "Flash Cab", "Taxi Affiliation Services", "Uber"],'));
    const optional = check(fixOf('FEATURE_TYPE_LOW_FRACTION_PRESENT', 'dropoff_census_tract'), (s) => s.features.dropoff_census_tract.presence, {
      min_count: 1,
    });
    assert.ok(optional.includes('"presence": { "min_count": 1 }'));
    check(fixOf('FLOAT_TYPE_BIG_FLOAT', 'fare'), (s) => s.features.fare.range, { min: 0, max: 250.5 });
    // Drift threshold: observed 0.137 + 10 %, rounded up to two significant digits.
    check(fixOf('COMPARATOR_L_INFTY_HIGH', 'company'), (s) => s.features.company.drift, { linf: 0.16 });
    check(fixOf('COMPARATOR_L_INFTY_HIGH', 'payment_type'), (s) => s.features.payment_type.skew, { linf: 0.024 });
    check(fixOf('DATASET_LOW_NUM_EXAMPLES', null), (s) => s.num_examples, { min: 820 });
    // A threshold the feature lacks is inserted after its last entry, in the file's one-line style.
    const added = check(
      { kind: 'raiseThreshold', feature: 'fare', comparator: 'skew', method: 'jsd', observed: 0.3, value: 0.33 },
      (s) => s.features.fare.skew,
      { jsd: 0.33 },
    );
    assert.ok(added.includes('      "drift": { "jsd": 0.1 },\n      "skew": { "jsd": 0.33 }\n'), added);
    // A file written by JSON.stringify gets expanded objects.
    const expanded = JSON.stringify(JSON.parse(text), null, 2);
    const after = apply(expanded, schemaFixEdits(expanded, fixOf('FEATURE_TYPE_LOW_FRACTION_PRESENT', 'dropoff_census_tract')));
    assert.ok(after.includes('"presence": {\n        "min_count": 1\n      }'), after);
    // Margins: +10 % up for distances, −10 % down for p-values; nothing to relax at 0.
    assert.equal(relaxedThreshold('jsd', 0.181), 0.2);
    assert.equal(relaxedThreshold('ks', 0.004), 0.0036);
    assert.equal(relaxedThreshold('linf', 0), undefined);
    assert.throws(() => schemaFixEdits('{ "features": ', fixOf('FLOAT_TYPE_BIG_FLOAT', 'fare')), /not valid JSON/);
  });

  test('a quick fix is one undo step', async () => {
    const document = await vscode.workspace.openTextDocument(schemaFile);
    await vscode.window.showTextDocument(document);
    const before = document.getText();
    assert.ok(await vscode.workspace.applyEdit(toWorkspaceEdit(document, schemaFixEdits(before, fixOf('FLOAT_TYPE_BIG_FLOAT', 'fare')))));
    assert.equal(JSON.parse(document.getText()).features.fare.range.max, 250.5);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => document.getText() === before, 'undo to restore the schema');
    assert.equal(document.isDirty, false);
  });

  test('Show Anomalies opens the panel for a run with an Anomalies artifact, grouped, errors first', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('mlops.showAnomalies', runId);
    const panel = await waitFor(() => api.anomalies.panels.openPanels().find((p) => p.runId === runId && p.view), 'the panel with data');
    assert.equal(panel.title, `Anomalies · Run #${runId}`);
    const view = panel.view!;
    assert.equal(view.errors, 4);
    assert.equal(view.warnings, 2);
    assert.equal(view.schemaFile, 'validation-fixture/data-schema.json');
    assert.deepEqual(
      view.groups.map((g) => `${g.severity}:${g.feature ?? '(dataset)'}`),
      ['error:(dataset)', 'error:company', 'error:fare', 'error:payment_type', 'warning:dropoff_census_tract', 'warning:payment_type'],
    );
    const payment = view.groups.find((g) => g.feature === 'payment_type' && g.severity === 'error')!;
    assert.equal(payment.anomalies[0].type, 'ENUM_TYPE_UNEXPECTED_STRING_VALUES');
    assert.equal(payment.anomalies[0].dataset, 'eval');
    assert.match(payment.anomalies[0].fixes[0].title, /Allow 'Mobile', 'Prcard'/);
    assert.equal(payment.anomalies[0].fixes[0].applied, false);
    assert.ok(payment.canGoToSchema);
    assert.deepEqual(view.comparators, { total: 6, fired: 2 });

    // A fix applied from the panel's implementation shows as applied (the panel follows the schema).
    const document = await vscode.workspace.openTextDocument(schemaFile);
    assert.equal(await applySchemaFix(schemaFile, fixOf('ENUM_TYPE_UNEXPECTED_STRING_VALUES', 'payment_type')), 'applied');
    await vscode.commands.executeCommand('mlops.showAnomalies', runId);
    await waitFor(
      () =>
        api.anomalies.panels
          .openPanels()
          .find((p) => p.runId === runId)
          ?.view?.groups.find((g) => g.feature === 'payment_type' && g.severity === 'error')?.anomalies[0].fixes[0].applied,
      'the fix to show as applied',
    );
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => document.getText() === original, 'undo');
  });

  test('Go to schema entry puts the cursor on features.<name>', async () => {
    await revealSchemaEntry(schemaFile, pipelineFile, 'fare');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.fsPath, schemaFile);
    assert.equal(editor.selection.start.line, lineOf(original, '"fare": {'));
    assert.equal(editor.document.getText(editor.selection), '"fare"');
    // The dataset's anomalies point at the pipeline file's `schema:`.
    await revealSchemaEntry(schemaFile, pipelineFile, null);
    assert.equal(vscode.window.activeTextEditor!.document.uri.fsPath, pipelineFile);
    assert.equal(vscode.window.activeTextEditor!.selection.start.line, lineOf(readFixture('validation.pipeline.yaml'), 'schema:'));
  });

  test('anomalies appear in the Problems view on the schema file at the feature, and on the pipeline file', async () => {
    const uri = vscode.Uri.file(schemaFile);
    const diagnostics = await waitFor(() => {
      const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'mlops');
      return list.length >= 5 && list;
    }, 'anomaly diagnostics on the schema');
    const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
    const unexpected = diagnostics.find((d) => code(d) === 'ENUM_TYPE_UNEXPECTED_STRING_VALUES')!;
    assert.equal(unexpected.range.start.line, lineOf(original, '"payment_type": {'));
    assert.equal(unexpected.severity, vscode.DiagnosticSeverity.Error);
    assert.match(unexpected.message, /Mobile/);
    const dropped = diagnostics.find((d) => code(d) === 'FEATURE_TYPE_LOW_FRACTION_PRESENT')!;
    assert.equal(dropped.range.start.line, lineOf(original, '"dropoff_census_tract": {'));
    assert.equal(dropped.severity, vscode.DiagnosticSeverity.Warning);
    const dataset = await waitFor(
      () => vscode.languages.getDiagnostics(vscode.Uri.file(pipelineFile)).find((d) => d.source === 'mlops' && code(d) === 'DATASET_LOW_NUM_EXAMPLES'),
      'the dataset anomaly on the pipeline file',
    );
    assert.equal(dataset.range.start.line, lineOf(readFixture('validation.pipeline.yaml'), 'schema:'));
  });

  test('the code action fixes the schema and the diagnostic goes away', async () => {
    const api = await extensionApi();
    const uri = vscode.Uri.file(schemaFile);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostic = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'mlops' && d.message.includes('Unexpected string values')),
      'the diagnostic',
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const action = actions.find((a) => a.title.startsWith("Allow 'Mobile', 'Prcard'"));
    assert.ok(action, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(await vscode.workspace.applyEdit(action.edit!));
    assert.deepEqual(JSON.parse(document.getText()).features.payment_type.domain.slice(-2), ['Mobile', 'Prcard']);
    await waitFor(() => !vscode.languages.getDiagnostics(uri).some((d) => d.message.includes('Unexpected string values')), 'the fixed diagnostic to go');
    assert.ok(api.anomalies.diagnostics.entriesFor(uri).length > 0, 'the other anomalies stay');
    await vscode.commands.executeCommand('undo');
    await waitFor(() => document.getText() === original, 'undo');
    await waitFor(() => vscode.languages.getDiagnostics(uri).some((d) => d.message.includes('Unexpected string values')), 'the diagnostic to return');
  });

  test("the Drift view resolves with fired results first, each feature's rows together", async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('mlops.drift.focus');
    api.drift.pick(PIPELINE);
    const view = await waitFor(() => api.drift.resolved && api.drift.current?.runId === runId && api.drift.current, 'the drift view data');
    assert.equal(view.pipeline, PIPELINE);
    assert.deepEqual(
      view.rows.map((r) => `${r.fired ? '!' : ''}${r.kind}:${r.feature}`),
      ['!drift:company', '!skew:payment_type', 'drift:trip_miles', 'skew:trip_miles', 'drift:fare', 'drift:trip_start_hour'],
    );
    assert.equal(view.rows[0].at, 'Flash Cab');
    assert.equal(view.rows[0].method, 'linf');
    assert.deepEqual(toDriftRows(report().drift.concat(report().skew)), view.rows);
  });

  test('clicking a feature compares its two datasets', async () => {
    const api = await extensionApi();
    const calls: unknown[][] = [];
    const commands = vscode.commands as { executeCommand: unknown };
    const original = vscode.commands.executeCommand;
    commands.executeCommand = async (...args: unknown[]) => {
      if (args[0] !== 'mlops.compareDatasets') return (original as (...a: unknown[]) => unknown)(...args);
      calls.push(args.slice(1));
      return undefined;
    };
    try {
      await api.drift.compare('company', 'drift');
      await api.drift.compare('payment_type', 'skew');
    } finally {
      commands.executeCommand = original;
    }
    assert.deepEqual(calls, [
      [{ runId, a: 'train/span-2', b: 'train/span-1', feature: 'company' }],
      [{ runId, a: 'train', b: 'serving', feature: 'payment_type' }],
    ]);
    assert.deepEqual(compareArgs(7, { feature: 'f', current: 'x', reference: 'y' }), { runId: 7, a: 'x', b: 'y', feature: 'f' });
  });

  test('webview messages are validated', () => {
    assert.ok(isAnomaliesFromWebviewMessage({ type: 'applyFix', payload: { anomaly: 0, fix: 1 } }));
    assert.ok(!isAnomaliesFromWebviewMessage({ type: 'applyFix', payload: { anomaly: '0', fix: 1 } }));
    assert.ok(isAnomaliesFromWebviewMessage({ type: 'goToSchema', payload: { feature: null } }));
    assert.ok(!isAnomaliesFromWebviewMessage({ type: 'eval', payload: {} }));
    assert.ok(isDriftFromWebviewMessage({ type: 'compare', payload: { feature: 'fare', kind: 'skew' } }));
    assert.ok(!isDriftFromWebviewMessage({ type: 'compare', payload: { feature: 'fare', kind: 'other' } }));
  });
});

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelRecord, ModelVersionRecord } from '../../core/registry/types';
import { isRecord } from '../../shared/schema';
import { PRODUCTION } from '../models/collect';
import type { StoreService } from '../store/storeService';
import type { ServingController } from './controller';
import { readCsvHead, type CsvHead } from './csvRows';
import type { ResponseDocuments } from './responseDocuments';
import { servedLabelColumn } from './packageLabel';
import type { ServingStatus } from './source';
import { blamedRow, buildInstances, expectedValue, rowDescription, signatureInputs, testRequestDocument, type TestRequestOutcome } from './testRequest';
import { errorMessage } from '../../core/util/errorMessage';
import { COMMAND_SEND_TEST_REQUEST } from '../commandIds';

/** Rows offered to pick from: the head of the file, read without reading the rest. */
const PICKABLE_ROWS = 200;
const REQUEST_TIMEOUT_MS = 30_000;

export interface ServingCommandsDeps {
  serving: ServingController;
  store: StoreService;
  log: vscode.LogOutputChannel;
  /** The registry as the Models tree last read it. */
  registry(): { model: ModelRecord; versions: ModelVersionRecord[] }[];
  /** Where each test request and its answer is shown, read-only. */
  responses: ResponseDocuments;
}

/** What Send Test Request did (for tests and the Monitoring panel). */
export interface TestRequestResult {
  file: string;
  /** 1-based data rows sent. */
  rows: number[];
  /** The HTTP status; null when no answer came. */
  status: number | null;
  /** The response body (parsed JSON when it was JSON). */
  body: unknown;
  error: string | null;
  document: vscode.TextDocument;
}

const workspaceRoot = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

/**
 * Start Serving, Stop Serving and Send Test Request: which model (the argument from a Models-view
 * node or the Monitoring panel, else a pick), one server at a time (switching asks first), and a
 * test request built from rows of a CSV, typed by the served model's own signature.
 */
export class ServingCommands {
  constructor(private readonly deps: ServingCommandsDeps) {}

  async start(arg: unknown): Promise<ServingStatus | undefined> {
    const model = await this.pickModel(arg, 'Serve which model?');
    if (!model) return undefined;
    const current = this.deps.serving.status();
    if (current && (current.state === 'starting' || current.state === 'serving')) {
      if (current.model === model) {
        void vscode.window.showInformationMessage(
          `MLOps: ${model} is already ${current.state === 'starting' ? 'starting' : `being served at ${current.url}`}.`,
        );
        return current;
      }
      const action = 'Stop and Serve';
      const answer = await vscode.window.showWarningMessage(
        `Stop serving ${current.model} and serve ${model} instead?`,
        { modal: true, detail: 'This window runs one prediction server at a time.' },
        action,
      );
      if (answer !== action) return undefined;
    }
    const status = await this.deps.serving.start(model);
    if (status.state === 'serving') {
      const served = status.version === null ? `${model} (no version can be served yet: it waits for a push)` : `${model}@${status.version}`;
      void vscode.window.showInformationMessage(`MLOps: serving ${served} at ${status.url}.`, 'Send Test Request').then((choice) => {
        if (choice) void vscode.commands.executeCommand(COMMAND_SEND_TEST_REQUEST, { model });
      });
    }
    return status;
  }

  async stop(): Promise<void> {
    const current = this.deps.serving.status();
    if (!current) {
      void vscode.window.showInformationMessage('MLOps: nothing is being served.');
      return;
    }
    await this.deps.serving.stop();
    if (current.state !== 'failed') vscode.window.setStatusBarMessage(`$(debug-stop) Stopped serving ${current.model}`, 5000);
  }

  /** The model an argument names, else a pick of the registered and monitored models. */
  async pickModel(arg: unknown, placeHolder: string): Promise<string | undefined> {
    const named = modelNameOf(arg);
    if (named) return named;
    const registered = this.deps.registry().map((r) => r.model);
    const monitored = this.deps.store.read((s) => s.monitoredModels(), []);
    const names = [...new Set([...registered.map((m) => m.name), ...monitored])].sort();
    if (!names.length) {
      void vscode.window.showInformationMessage(
        'MLOps: no model is registered yet. Run a pipeline with a `push:` section (or `mlops push <run-id>`) to register and push one.',
      );
      return undefined;
    }
    const served = this.deps.serving.status();
    const picked = await vscode.window.showQuickPick(
      names.map((name) => {
        const record = registered.find((m) => m.name === name);
        const production = record?.aliases[PRODUCTION];
        const parts = [record ? (production === undefined ? 'no production version' : `production v${production}`) : 'monitored, not in this registry'];
        if (served?.model === name && served.state === 'serving') parts.push(`serving${served.version === null ? '' : ` v${served.version}`}`);
        return { label: name, description: parts.join(' · ') };
      }),
      { ignoreFocusOut: true, placeHolder, matchOnDescription: true },
    );
    return picked?.label;
  }

  async sendTestRequest(arg: unknown): Promise<TestRequestResult | undefined> {
    const options = testRequestArg(arg);
    const status = await this.servingFor(options.model);
    if (!status?.url) return undefined;
    const file = options.file ? path.resolve(workspaceRoot() ?? '.', options.file) : await pickCsv();
    if (!file) return undefined;
    let head: CsvHead;
    try {
      head = await readCsvHead(file, PICKABLE_ROWS);
    } catch (e) {
      void vscode.window.showWarningMessage(`MLOps: cannot read ${path.basename(file)}: ${errorMessage(e)}`);
      return undefined;
    }
    const rows = options.rows ? pickedRows(head, options.rows, file) : await pickRows(head, file);
    if (!rows?.length) return undefined;

    const model = status.model;
    const base = `${status.url}/v1/models/${encodeURIComponent(model)}`;
    let metadata;
    try {
      metadata = await httpJson(`${base}/metadata`);
    } catch (e) {
      void vscode.window.showWarningMessage(`MLOps: cannot read the signature of ${model} from ${base}/metadata: ${errorMessage(e)}`);
      return undefined;
    }
    const inputs = signatureInputs(metadata.body);
    if (!inputs) {
      const said = isRecord(metadata.body) && typeof metadata.body.error === 'string' ? `: ${metadata.body.error}` : '';
      void vscode.window.showWarningMessage(`MLOps: ${base}/metadata did not return a signature (HTTP ${metadata.status})${said}`);
      return undefined;
    }
    const { instances, notSent } = buildInstances(head.columns, rows, inputs);
    const label = await this.labelOf(status, head, rows);
    const outcome: TestRequestOutcome = {
      url: `${base}:predict`,
      csv: vscode.workspace.asRelativePath(file),
      rows: rows.map((r) => r.row),
      notSent,
      body: { instances },
      status: null,
      latencyMs: null,
      response: null,
      error: null,
      label,
    };
    const started = performance.now();
    try {
      const answer = await httpJson(outcome.url, outcome.body);
      outcome.latencyMs = performance.now() - started;
      outcome.status = answer.status;
      outcome.response = answer.body;
      if (answer.status >= 400) outcome.error = isRecord(answer.body) && typeof answer.body.error === 'string' ? answer.body.error : `HTTP ${answer.status}`;
    } catch (e) {
      outcome.error = `no answer from ${status.url}: ${errorMessage(e)}`;
    }
    this.deps.log.info(
      `test request: POST ${outcome.url} with rows ${outcome.rows.join(', ')} of ${outcome.csv} → ${outcome.status ?? 'no answer'}${outcome.error ? `: ${outcome.error}` : ''}`,
    );
    if (outcome.error !== null) {
      const row = outcome.status === null ? undefined : blamedRow(outcome.error, outcome.rows);
      const where = row === undefined ? `rows ${outcome.rows.join(', ')} of ${outcome.csv}` : `${outcome.csv} row ${row}`;
      void vscode.window.showWarningMessage(
        `MLOps: the test request failed${outcome.status === null ? '' : ` (HTTP ${outcome.status})`}: ${outcome.error} (${where})`,
      );
    }
    const answered = outcome.status === null ? 'no answer' : `HTTP ${outcome.status}`;
    const title = `${status.model}${status.version === null ? '' : ` v${status.version}`} · ${path.basename(file)} rows ${outcome.rows.join(', ')} · ${answered}`;
    const uri = this.deps.responses.add(title, `${JSON.stringify(testRequestDocument(outcome), null, 2)}\n`);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    return { file, rows: outcome.rows, status: outcome.status, body: outcome.response, error: outcome.error, document };
  }

  /** The serving status to send to; when `model` is not being served, an offer to start it. */
  private async servingFor(model: string | undefined): Promise<ServingStatus | undefined> {
    const current = this.deps.serving.status();
    if (current?.state === 'serving' && (model === undefined || current.model === model)) return current;
    const what = model ?? current?.model;
    const why =
      current?.state === 'serving'
        ? `${current.model} is being served, not ${model}.`
        : current?.state === 'starting'
          ? `${current.model} is still starting.`
          : 'nothing is being served.';
    if (current?.state === 'starting') {
      void vscode.window.showInformationMessage(`MLOps: ${why} Try again when it is ready.`);
      return undefined;
    }
    const action = 'Start Serving';
    const answer = await vscode.window.showInformationMessage(`MLOps: ${why} Start serving ${what ?? 'a model'} to send it a test request.`, action);
    if (answer !== action) return undefined;
    const started = await this.start(what);
    return started?.state === 'serving' ? started : undefined;
  }

  /** The served version's label column and its cells in the rows sent, when the CSV has it. */
  private async labelOf(status: ServingStatus, head: CsvHead, rows: CsvHead['rows']): Promise<TestRequestOutcome['label']> {
    if (!status.dir || status.version === null) return undefined;
    const column = await servedLabelColumn(status.dir, status.version);
    const index = column === undefined ? -1 : head.columns.indexOf(column);
    return index < 0 ? undefined : { column: column!, values: rows.map((r) => expectedValue(r.fields[index])) };
  }
}

/** A model name, a Models-view model or version node, or `{ model }` (the Monitoring panel). */
function modelNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg.trim().split('@')[0] || undefined;
  if (!isRecord(arg)) return undefined;
  if (arg.kind === 'model' && isRecord(arg.model) && typeof arg.model.name === 'string') return arg.model.name;
  return typeof arg.model === 'string' && arg.model ? arg.model : undefined;
}

function testRequestArg(arg: unknown): { model?: string; file?: string; rows?: number[] } {
  const model = modelNameOf(arg);
  if (!isRecord(arg)) return { model };
  return {
    model,
    file: typeof arg.file === 'string' ? arg.file : undefined,
    rows: Array.isArray(arg.rows) && arg.rows.every((r) => Number.isInteger(r)) ? (arg.rows as number[]) : undefined,
  };
}

async function pickCsv(): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles('**/*.csv', '**/{node_modules,.mlops}/**', 50);
  const browse = { label: '$(folder-opened) Browse…', description: 'a CSV file anywhere', uri: undefined as vscode.Uri | undefined };
  const items = [
    ...files
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
      .map((uri) => ({ label: path.basename(uri.fsPath), description: path.dirname(vscode.workspace.asRelativePath(uri)), uri: uri })),
    browse,
  ];
  const picked = await vscode.window.showQuickPick(items, {
    ignoreFocusOut: true,
    title: 'Send Test Request',
    placeHolder: 'A CSV with rows to send',
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  if (picked.uri) return picked.uri.fsPath;
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSV files': ['csv'] }, openLabel: 'Send Rows' });
  return chosen?.[0]?.fsPath;
}

async function pickRows(head: CsvHead, file: string): Promise<CsvHead['rows'] | undefined> {
  const picked = await vscode.window.showQuickPick(
    head.rows.map((r) => ({ label: `Row ${r.row}`, description: rowDescription(head.columns, r.fields), row: r })),
    // Ticked rows survive a click elsewhere (a panel that takes the focus as it updates) instead of being thrown away.
    {
      title: `Send Test Request · ${path.basename(file)}`,
      placeHolder: `Rows to send (the first ${head.rows.length})`,
      canPickMany: true,
      matchOnDescription: true,
      ignoreFocusOut: true,
    },
  );
  return picked?.map((p) => p.row);
}

function pickedRows(head: CsvHead, numbers: readonly number[], file: string): CsvHead['rows'] | undefined {
  const rows = numbers.map((n) => head.rows.find((r) => r.row === n));
  const missing = numbers.filter((_, i) => !rows[i]);
  if (missing.length) {
    const bad = head.bad.filter((b) => missing.includes(b.row));
    const why = bad.length
      ? `malformed: ${bad.map((b) => `row ${b.row} (line ${b.line}): ${b.reason}`).join('; ')}`
      : `not among the first ${head.rows.length} data rows`;
    void vscode.window.showWarningMessage(`MLOps: ${path.basename(file)} row ${missing.join(', ')}: ${why}.`);
    return undefined;
  }
  return rows as CsvHead['rows'];
}

/** GET (no body) or POST JSON; the status and the body, parsed when it is JSON. Throws when no answer comes. */
async function httpJson(url: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (e) {
    // fetch says only "fetch failed"; the reason (ECONNREFUSED) is its cause.
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
    throw new Error(cause ?? errorMessage(e));
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

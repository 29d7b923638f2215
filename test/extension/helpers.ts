import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MlopsExtensionApi } from '../../src/extension/api';
import type { RunRecord } from '../../src/core/store/types';

export const EXTENSION_ID = 'mlops-pipelines.mlops-pipelines';

export async function extensionApi(): Promise<MlopsExtensionApi> {
  const ext = vscode.extensions.getExtension<MlopsExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  await api.pipelines.ready;
  return api;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the fixture workspace (test/fixtures/extension-workspace) open');
  return folder;
}

export function fixtureUri(relative: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, relative));
}

/** Polls until `probe` returns something truthy (for things VS Code does asynchronously). */
export async function waitFor<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The open panel `find` returns, once `ready` holds for it (what its page reported drawing). On a
 * timeout the error shows the panel as it was (`describe` may shorten it).
 */
export function waitForPanel<P>(
  find: () => P | undefined,
  ready: (p: P) => boolean,
  what: string,
  describe: (p: P | undefined) => unknown = (p) => p,
): Promise<P> {
  return waitFor(
    () => {
      const p = find();
      return p && ready(p) ? p : undefined;
    },
    what,
    WEBVIEW_MS,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; panel: ${JSON.stringify(describe(find()))}`);
  });
}

/** How long a webview may take to load and draw: it boots in a browser shared with the whole workbench, on a busy machine. Generous: no test here measures time. */
export const WEBVIEW_MS = 45_000;

export async function mlopsTask(name: string): Promise<vscode.Task> {
  const tasks = await vscode.tasks.fetchTasks({ type: 'mlops' });
  const task = tasks.find((t) => t.name === name);
  if (!task) throw new Error(`no task '${name}' among ${tasks.map((t) => t.name).join(', ')}`);
  return task;
}

/**
 * Executes a task and resolves with its process exit code. Listens before executing so a fast task
 * cannot end unseen; `onDidEndTask` is the fallback if no process event comes.
 */
export function executeAndWait(task: vscode.Task, timeoutMs = 60_000): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    let execution: vscode.TaskExecution | undefined;
    const same = (e: vscode.TaskExecution) =>
      execution ? e === execution || e.task.name === execution.task.name : e.task.name === task.name && e.task.definition.type === task.definition.type;
    let exitCode: number | undefined;
    const timer = setTimeout(() => finish(new Error(`task '${task.name}' did not end within ${timeoutMs} ms`)), timeoutMs);
    const subs = [
      vscode.tasks.onDidEndTaskProcess((e) => {
        if (same(e.execution)) {
          exitCode = e.exitCode;
          finish();
        }
      }),
      vscode.tasks.onDidEndTask((e) => {
        // Give the process event (which carries the exit code) a moment to arrive first.
        if (same(e.execution)) setTimeout(() => finish(), 500);
      }),
    ];
    let done = false;
    function finish(error?: Error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      if (error) reject(error);
      else resolve(exitCode);
    }
    vscode.tasks.executeTask(task).then(
      (e) => (execution = e),
      (e) => finish(e instanceof Error ? e : new Error(String(e))),
    );
  });
}

/** The run rows the Runs tree shows for a pipeline, as the view would get them. */
export async function runsInTree(api: MlopsExtensionApi, pipeline: string): Promise<RunRecord[]> {
  const groups = api.runsTree.getChildren();
  const group = groups.find((n) => n.kind === 'group' && n.pipeline === pipeline);
  if (!group) return [];
  const rows = api.runsTree.getChildren(group);
  return rows.flatMap((n) => (n.kind === 'run' ? [n.run] : []));
}

let completedRun: Promise<RunRecord> | undefined;

/** A complete run of the tiny pipeline (executed once per test session, shared by the suites). */
export function ensureCompletedRun(api: MlopsExtensionApi): Promise<RunRecord> {
  completedRun ??= (async () => {
    const before = new Set((await runsInTree(api, 'tiny')).map((r) => r.id));
    const exitCode = await executeAndWait(await mlopsTask('tiny: run pipeline'));
    if (exitCode !== 0) throw new Error(`the tiny pipeline exited with ${exitCode}`);
    return waitFor(async () => {
      api.store.check();
      return (await runsInTree(api, 'tiny')).find((r) => !before.has(r.id) && r.status !== 'running');
    }, 'the new run in the Runs tree');
  })();
  return completedRun;
}

/** The extension's own CLI, run the way its tasks run it. */
export function mlops(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

export interface Dialog {
  kind: 'warning' | 'error' | 'information';
  message: string;
  detail?: string;
  items: string[];
}

/**
 * Runs `fn` with the notification and modal functions replaced: every dialog is recorded; a modal
 * is answered with `answer(dialog)`.
 */
export async function withDialogs<T>(answer: (d: Dialog) => string | undefined, fn: () => Thenable<T>): Promise<{ result: T; dialogs: Dialog[] }> {
  const dialogs: Dialog[] = [];
  const window = vscode.window as unknown as Record<string, unknown>;
  const originals = { warning: window.showWarningMessage, error: window.showErrorMessage, information: window.showInformationMessage };
  const stub =
    (kind: Dialog['kind']) =>
    async (message: string, ...rest: unknown[]) => {
      const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest.shift() as vscode.MessageOptions) : undefined;
      const d: Dialog = { kind, message, detail: options?.detail, items: rest.filter((r): r is string => typeof r === 'string') };
      dialogs.push(d);
      return options?.modal ? answer(d) : undefined;
    };
  window.showWarningMessage = stub('warning');
  window.showErrorMessage = stub('error');
  window.showInformationMessage = stub('information');
  try {
    return { result: await fn(), dialogs };
  } finally {
    window.showWarningMessage = originals.warning;
    window.showErrorMessage = originals.error;
    window.showInformationMessage = originals.information;
  }
}

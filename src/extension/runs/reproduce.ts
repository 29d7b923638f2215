import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { showError } from '../log';
import { cliErrorMessage, runCli } from '../models/registryCli';
import type { StoreService } from '../store/storeService';
import type { MlopsTaskProvider } from '../tasks/provider';
import { ensureTrusted } from '../workspace/trust';
import { runIdOf } from './commands';
import { pickRecentRun } from './pickRun';
import { parseReproduceCheck, REPRODUCE_ANYWAY, reproduceCheckInvocation, reproduceConfirmation } from './reproduceCheck';

export interface ReproduceRunDeps {
  store: StoreService;
  tasks: MlopsTaskProvider;
  /** Absolute path of the bundled CLI (`dist/cli.js`). */
  cliPath: string;
  log: vscode.LogOutputChannel;
}

/**
 * MLOps: Reproduce Run. The CLI checks what differs since the run in a child process; blocking
 * differences are shown in a modal that offers Reproduce Anyway; the reproduction itself runs as an
 * `mlops` task in a terminal, like any run.
 */
export class ReproduceRunCommand {
  constructor(private readonly deps: ReproduceRunDeps) {}

  async reproduce(arg?: unknown): Promise<vscode.TaskExecution | undefined> {
    if (!(await ensureTrusted())) return undefined;
    const { store, log } = this.deps;
    const runId = runIdOf(arg) ?? (await pickRecentRun(store, 'Reproduce Run'));
    if (runId === undefined) return undefined;
    const run = store.read((s) => s.getRun(runId), undefined);
    const storePath = store.path;
    if (!run || !storePath) {
      void vscode.window.showWarningMessage(`MLOps: run #${runId} is not in the run store (any more).`);
      return undefined;
    }
    if (!existsSync(this.deps.cliPath)) {
      await showError(log, `the mlops CLI is missing at ${this.deps.cliPath}. Build the extension (npm run build) and try again`);
      return undefined;
    }
    const invocation = reproduceCheckInvocation({
      nodePath: process.execPath,
      cliPath: this.deps.cliPath,
      storePath,
      cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(storePath),
      baseEnv: process.env,
      runId,
    });
    let result;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `MLOps: checking what differs since run #${runId}…` },
        () => runCli(invocation),
      );
    } catch (e) {
      await showError(log, `could not check run #${runId}`, e);
      return undefined;
    }
    const check = parseReproduceCheck(result.stdout);
    if (!check) {
      log.error(`mlops reproduce ${runId} --dry-run exited with ${result.code}:\n${result.stderr || result.stdout}`);
      await showError(log, `run #${runId} cannot be reproduced`, new Error(cliErrorMessage(result)));
      return undefined;
    }
    for (const d of check.differences) log.info(`reproduce run #${runId}: ${d.blocking ? 'blocking: ' : ''}${d.message}`);
    const force = check.differences.some((d) => d.blocking);
    if (force) {
      const { message, detail } = reproduceConfirmation(check);
      const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, REPRODUCE_ANYWAY);
      if (answer !== REPRODUCE_ANYWAY) return undefined;
    }
    const task = this.deps.tasks.reproduceTask(run, { force, verify: check.verifiable });
    if (!task) {
      void vscode.window.showWarningMessage('MLOps: open a folder first: a reproduction runs as a task of a workspace folder.');
      return undefined;
    }
    try {
      return await vscode.tasks.executeTask(task);
    } catch (e) {
      await showError(log, `could not start ${task.name}`, e);
      return undefined;
    }
  }
}

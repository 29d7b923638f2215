import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rollbackTarget } from '../../core/registry/history';
import type { ModelRecord, ModelVersionRecord } from '../../core/registry/types';
import { readBlessing } from '../evaluation/source';
import { showError } from '../log';
import type { StoreService } from '../store/storeService';
import {
  aliasConfirmation,
  BLESSING_LABEL,
  blessingState,
  PRODUCTION,
  productionComparison,
  rollbackConfirmation,
  STAGING,
  versionDescription,
} from './collect';
import type { Confirmation } from './collect';
import type { ModelsNode } from './nodes';
import { cliErrorMessage, describeRegistryAction, registryInvocation, runCli, type RegistryAction } from './registryCli';

export interface ModelsCommandsDeps {
  store: StoreService;
  log: vscode.LogOutputChannel;
  /** dist/cli.js of this extension. */
  cliPath: string;
  /** The registry as the Models tree last read it. */
  registry(): { model: ModelRecord; versions: ModelVersionRecord[] }[];
  compareRuns(runIds: number[]): void;
}

const workspaceRoot = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

/**
 * Push to Production, Promote to Staging, Rollback Production and Compare with Production. Changes
 * go through the `mlops` CLI in a child process after a modal confirmation that shows what the
 * evaluation said and what changes; the CLI's refusal (an unblessed model, an unwritable
 * destination) reaches the user as an error notification with the CLI's own message.
 */
export class ModelsCommands {
  constructor(private readonly deps: ModelsCommandsDeps) {}

  pushToProduction(arg?: unknown): Promise<boolean> {
    return this.setAlias(arg, PRODUCTION, 'Push');
  }

  promoteToStaging(arg?: unknown): Promise<boolean> {
    return this.setAlias(arg, STAGING, 'Promote');
  }

  /** Moves `production` back to the version it had before the current one. */
  async rollbackProduction(arg?: unknown): Promise<boolean> {
    const name = modelNameOf(arg) ?? (await this.pickModel());
    if (!name) return false;
    const model = this.deps.store.read((s) => s.getModel(name), undefined);
    const current = model?.aliases[PRODUCTION];
    if (current === undefined) {
      void vscode.window.showInformationMessage(`MLOps: ${name} has no production version to roll back.`);
      return false;
    }
    const history = this.deps.store.read((s) => s.aliasHistory(name, PRODUCTION), []);
    const to = rollbackTarget(history, PRODUCTION, current);
    if (to === undefined) {
      void vscode.window.showInformationMessage(`MLOps: ${name}@${current} is the first production version of ${name}: there is nothing to roll back to.`);
      return false;
    }
    const target = this.deps.store.read((s) => s.getModelVersion(name, to), undefined);
    if (!(await confirm(rollbackConfirmation(name, PRODUCTION, current, target, to)))) return false;
    return this.run(
      { kind: 'rollback', model: name, alias: PRODUCTION, to },
      `Rolling back ${name} to version ${to}…`,
      `${name}: production is version ${to} again (was ${current}).`,
    );
  }

  /** The compare panel on this version's run and the production version's run. */
  async compareWithProduction(arg?: unknown): Promise<void> {
    const v = await this.versionFrom(arg, 'Compare with Production');
    if (!v) return;
    const pair = productionComparison(v, this.aliasVersion(v.model, PRODUCTION));
    if ('problem' in pair) void vscode.window.showInformationMessage(`MLOps: ${pair.problem}`);
    else this.deps.compareRuns(pair.runIds);
  }

  private async setAlias(arg: unknown, alias: string, verb: 'Push' | 'Promote'): Promise<boolean> {
    const v = await this.versionFrom(arg, verb === 'Push' ? 'Push to Production' : 'Promote to Staging');
    if (!v) return false;
    const current = this.aliasVersion(v.model, alias);
    if (current?.version === v.version) {
      void vscode.window.showInformationMessage(`MLOps: ${v.model}@${v.version} is already ${alias}.`);
      return false;
    }
    const root = workspaceRoot() ?? path.dirname(this.deps.store.path ?? '.');
    const blessing = v.evaluationUri ? await readBlessing(v.evaluationUri, root) : undefined;
    const confirmation = aliasConfirmation({ candidate: v, current, alias, blessing, verb });
    // Production always asks; another alias asks only when the version lacks a blessing.
    if ((alias === PRODUCTION || confirmation.force) && !(await confirm(confirmation))) return false;
    const done = verb === 'Push' ? 'pushed' : 'promoted';
    return this.run(
      {
        kind: 'push',
        model: v.model,
        version: v.version,
        alias,
        force: confirmation.force,
        reason: `${done} from VS Code${confirmation.force ? ' without a blessing (forced)' : ''}`,
      },
      `${verb === 'Push' ? 'Pushing' : 'Promoting'} ${v.model}@${v.version} to ${alias}…`,
      `${v.model}@${v.version} is now ${alias}${current ? ` (was version ${current.version})` : ''}.`,
    );
  }

  /** Runs the CLI, then refreshes the views; false (and an error notification) when it failed. */
  private async run(action: RegistryAction, progress: string, success: string): Promise<boolean> {
    const storePath = this.deps.store.path;
    if (!storePath) {
      void vscode.window.showWarningMessage('MLOps: open a folder first: the model registry lives in its run store.');
      return false;
    }
    if (!existsSync(this.deps.cliPath)) {
      await showError(this.deps.log, `the mlops CLI is missing at ${this.deps.cliPath}. Build the extension (npm run build) and try again`);
      return false;
    }
    const invocation = registryInvocation({
      nodePath: process.execPath,
      cliPath: this.deps.cliPath,
      storePath,
      cwd: workspaceRoot() ?? path.dirname(storePath),
      baseEnv: process.env,
      action,
    });
    const command = describeRegistryAction(action);
    this.deps.log.info(`registry: ${command}`);
    let result;
    try {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `MLOps: ${progress}` }, () => runCli(invocation));
    } catch (e) {
      await showError(this.deps.log, `could not start ${command}`, e);
      return false;
    } finally {
      this.deps.store.check(true);
    }
    if (result.code !== 0) {
      this.deps.log.error(`${command} exited with ${result.code}:\n${result.stderr || result.stdout}`);
      await showError(this.deps.log, `${action.kind} failed`, new Error(cliErrorMessage(result)));
      return false;
    }
    this.deps.log.info(`${command}: ${result.stdout.trim().slice(0, 2000)}`);
    void vscode.window.showInformationMessage(`MLOps: ${success}`);
    return true;
  }

  private aliasVersion(model: string, alias: string): ModelVersionRecord | undefined {
    const version = this.deps.store.read((s) => s.getModel(model), undefined)?.aliases[alias];
    return version === undefined ? undefined : this.deps.store.read((s) => s.getModelVersion(model, version), undefined);
  }

  /** A Models-tree version (read again: its aliases may have moved), `model@version` text, else a pick. */
  private async versionFrom(arg: unknown, title: string): Promise<ModelVersionRecord | undefined> {
    const ref = versionRefOf(arg);
    if (ref) {
      const v = this.deps.store.read((s) => s.getModelVersion(ref.model, ref.version), undefined);
      if (!v) void vscode.window.showWarningMessage(`MLOps: ${ref.model}@${ref.version} is not in the registry (any more).`);
      return v;
    }
    const versions = this.deps.registry().flatMap((m) => m.versions);
    if (!versions.length) {
      void vscode.window.showInformationMessage('MLOps: no model is registered yet. A pipeline with `push:` registers its model when it runs.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      versions.map((v) => ({
        label: `${v.model}@${v.version}`,
        description: [BLESSING_LABEL[blessingState(v)], versionDescription(v)].filter(Boolean).join(' · '),
        version: v,
      })),
      { ignoreFocusOut: true, title, placeHolder: 'A model version', matchOnDescription: true },
    );
    return picked?.version;
  }

  private async pickModel(): Promise<string | undefined> {
    const models = this.deps.registry().filter((m) => m.model.aliases[PRODUCTION] !== undefined);
    if (!models.length) {
      void vscode.window.showInformationMessage('MLOps: no model has a production version.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      models.map((m) => ({ label: m.model.name, description: `production v${m.model.aliases[PRODUCTION]}` })),
      { ignoreFocusOut: true, title: 'Rollback Production', placeHolder: 'The model whose production version goes back' },
    );
    return picked?.label;
  }
}

async function confirm(c: Confirmation): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(c.message, { modal: true, detail: c.detail }, c.action);
  return answer === c.action;
}

const VERSION_REF = /^([^@\s]+)@(\d+)$/;

/** A Models-tree version node, or `model@version` text. */
function versionRefOf(arg: unknown): { model: string; version: number } | undefined {
  const node = arg as ModelsNode | undefined;
  if (node?.kind === 'version') return { model: node.model, version: node.version.version };
  const m = typeof arg === 'string' ? VERSION_REF.exec(arg.trim()) : null;
  return m ? { model: m[1], version: Number(m[2]) } : undefined;
}

/** A Models-tree model or version node, or a model name. */
function modelNameOf(arg: unknown): string | undefined {
  const node = arg as ModelsNode | undefined;
  if (node?.kind === 'model') return node.model.name;
  if (node?.kind === 'version') return node.model;
  return typeof arg === 'string' && arg.trim() ? arg.trim().split('@')[0] : undefined;
}

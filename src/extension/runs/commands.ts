import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/store/types';
import { showError } from '../log';
import { withWriteStore } from '../store/open';
import type { StoreService } from '../store/storeService';
import { artifactsRootFor, ownedArtifactPaths } from '../../core/runner/publish';
import type { CheckedRuns } from './checkedRuns';
import type { RunsNode } from './nodes';
import { pickRecentRun } from './pickRun';
import { errorMessage } from '../../core/util/errorMessage';

/** Opens the run-details panel (implemented by runDetails). */
export type OpenRunDetails = (runId: number) => void;

/** Open Run and Delete Run. */
export class RunsCommands {
  constructor(
    private readonly store: StoreService,
    private readonly checked: CheckedRuns,
    private readonly openDetails: OpenRunDetails,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** From the tree (a run node or its id), else a quick pick of recent runs, newest first. */
  async openRun(arg?: unknown): Promise<void> {
    const runId = runIdOf(arg) ?? (await this.pickRun('Open Run'));
    if (runId !== undefined) this.openDetails(runId);
  }

  async deleteRun(arg?: unknown, selected?: unknown[]): Promise<void> {
    const fromTree = (selected?.length ? selected : [arg]).map(runIdOf).filter((id): id is number => id !== undefined);
    const ids = fromTree.length ? [...new Set(fromTree)] : [await this.pickRun('Delete Run')].filter((id): id is number => id !== undefined);
    if (!ids.length) return;
    const runs = ids.map((id) => this.store.read((s) => s.getRun(id) ?? undefined, undefined)).filter((r): r is RunRecord => !!r);
    const running = runs.filter((r) => r.status === 'running');
    if (running.length) {
      void vscode.window.showWarningMessage(`MLOps: run #${running[0].id} is still running. Cancel it before deleting it.`);
      return;
    }
    if (!runs.length || !this.store.path) return;
    const what = runs.length === 1 ? `run #${runs[0].id} of ${runs[0].pipelineName}` : `${runs.length} runs`;
    const answer = await vscode.window.showWarningMessage(
      `Delete ${what}?`,
      {
        modal: true,
        detail:
          'Its records are removed from the store, with the artifact files the store keeps for it. Your data files and step outputs are kept. This cannot be undone.',
      },
      'Delete',
    );
    if (answer !== 'Delete') return;
    const storePath = this.store.path;
    let artifactUris: string[] = [];
    try {
      artifactUris = withWriteStore(storePath, (s) => runs.flatMap((r) => s.deleteRun(r.id)));
    } catch (e) {
      await showError(this.log, `could not delete ${what}`, e);
      return;
    }
    this.checked.update(runs.map((r) => [r.id, false]));
    this.log.info(`deleted ${what}; the store released ${artifactUris.length} artifact location(s)`);
    await this.deleteArtifacts(artifactUris, storePath);
    this.store.check(true);
  }

  private async deleteArtifacts(uris: string[], storePath: string): Promise<void> {
    const owned = ownedArtifactPaths(uris, artifactsRootFor(storePath));
    for (const kept of uris.length - owned.length ? uris.filter((u) => !owned.includes(path.resolve(u))) : []) {
      this.log.info(`keeping ${kept}: a file of the workspace, not one mlops wrote`);
    }
    const failures: string[] = [];
    for (const file of owned) {
      const uri = vscode.Uri.file(file);
      try {
        await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) failures.push(`${uri.fsPath}: ${errorMessage(e)}`);
      }
    }
    if (failures.length) {
      this.log.warn(`could not delete ${failures.length} artifact file(s):\n${failures.join('\n')}`);
      const choice = await vscode.window.showWarningMessage(`MLOps: ${failures.length} artifact file(s) could not be deleted.`, 'Show Log');
      if (choice === 'Show Log') this.log.show(true);
    }
  }

  private pickRun(title: string): Promise<number | undefined> {
    return pickRecentRun(this.store, title);
  }
}

export function runIdOf(arg: unknown): number | undefined {
  if (typeof arg === 'number' && Number.isInteger(arg)) return arg;
  if (typeof arg === 'string' && /^#?\d+$/.test(arg)) return Number(arg.replace('#', ''));
  const node = arg as RunsNode | undefined;
  if (node?.kind === 'run') return node.run.id;
  if (node && 'runId' in node && typeof node.runId === 'number') return node.runId;
  return undefined;
}

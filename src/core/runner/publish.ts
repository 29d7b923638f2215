import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const TEMPORARY = '.tmp';

/**
 * Managed artifacts are written under a temporary name and renamed into place only when their
 * component succeeded: a killed run never leaves a half-written artifact where a finished one goes.
 */
export class ArtifactLayout {
  constructor(private readonly root: string) {}

  async temporaryDir(executionId: number, name: string): Promise<string> {
    const dir = path.join(this.root, TEMPORARY, `${executionId}-${safe(name)}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Removes what killed runs left half-written: every temporary folder whose execution is no longer
   * running. Returns the folders removed.
   */
  async sweepTemporary(running: ReadonlySet<number>): Promise<string[]> {
    const tmp = path.join(this.root, TEMPORARY);
    const entries = await fs.readdir(tmp).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return [] as string[];
      throw e;
    });
    const stale = entries.filter((name) => !running.has(Number(/^(\d+)-/.exec(name)?.[1])));
    await Promise.all(stale.map((name) => fs.rm(path.join(tmp, name), { recursive: true, force: true })));
    return stale.map((name) => path.join(tmp, name));
  }

  finalPath(pipeline: string, component: string, executionId: number, name: string): string {
    return path.join(this.root, safe(pipeline), safe(component), String(executionId), safe(name));
  }

  async moveIntoPlace(temporary: string, final: string): Promise<void> {
    await fs.mkdir(path.dirname(final), { recursive: true });
    await fs.rm(final, { recursive: true, force: true });
    await fs.rename(temporary, final);
  }

  /** Kept across failures and kills (training checkpoints); removed with the run. */
  async checkpointDir(runId: number, component: string): Promise<string> {
    const dir = path.join(this.root, '.checkpoints', String(runId), safe(component));
    await fs.mkdir(dir, { recursive: true });
    return dir;
  }

  async discard(temporary: string): Promise<void> {
    await fs.rm(temporary, { recursive: true, force: true });
  }
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** Managed artifacts live beside the store, so one folder holds a workspace's whole history. */
export function artifactsRootFor(storePath: string): string {
  return path.join(path.dirname(storePath), 'artifacts');
}

/**
 * Of the artifacts a deleted run released, the ones mlops wrote itself (under `artifactsRoot`) and
 * may delete. A run's artifacts also include its input data and the outputs steps declared in the
 * workspace: those are the user's files, and deleting a run never touches them.
 */
export function ownedArtifactPaths(uris: readonly string[], artifactsRoot: string): string[] {
  const root = path.resolve(artifactsRoot) + path.sep;
  return uris.map((u) => path.resolve(u)).filter((p) => p.startsWith(root) && !p.startsWith(path.join(root, TEMPORARY) + path.sep));
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LoadedModel } from '../model/types';
import { isUserError } from '../util/problems';
import type { ServeEvent } from './events';
import { defaultVersion, readServingFolder, type ServingFolder } from './folder';
import { HttpError } from './http';
import { ServedVersion, type Lease } from './servedVersion';

/** How a URL names a version: none (the default), a number, or an alias (`labels/staging`). */
export type VersionRef = { kind: 'default' } | { kind: 'version'; version: number } | { kind: 'alias'; alias: string };

/** TF Serving's version states: START (present, not loaded), LOADING, AVAILABLE, END (failed or unloaded). */
export type VersionState = 'START' | 'LOADING' | 'AVAILABLE' | 'END';

export interface VersionStatus {
  version: number;
  state: VersionState;
  /** Why it could not be loaded. */
  error?: string;
  /** Aliases answering with this version now. */
  aliases: string[];
}

export interface ModelVersionsOptions {
  /** The serving folder: `<dir>/<version>/` packages and `aliases.json`. */
  dir: string;
  /** The model's name, for messages. */
  model: string;
  load(dir: string): Promise<LoadedModel>;
  /** A loaded version no alias points at is unloaded after this long without requests. */
  keepIdleMs: number;
  maxBatchRows: number;
  onEvent(event: ServeEvent): void;
  now(): number;
}

/**
 * The versions of one model in a serving folder, kept in step with it: `refresh` (the poll) reads
 * the folder, loads and warms what the default (`production`, else the highest version) and the
 * aliases point at, and only then moves them, so a request always finds a ready version; one
 * that fails to load leaves the pointer where it was and says why. Versions named in a URL load on
 * their first request. A version nothing points at any more is retired once idle, and disposed
 * when its last request ends.
 */
export class ModelVersions {
  private folder: ServingFolder = { versions: [], aliases: {} };
  private readonly served = new Map<number, ServedVersion>();
  private readonly loading = new Map<number, Promise<ServedVersion>>();
  private readonly failed = new Map<number, { error: string; fingerprint: string }>();
  private current: number | undefined;
  private aliases: Record<string, number> = {};
  private refreshing: Promise<void> | undefined;
  private reported = new Set<string>();
  private closed = false;
  /** Changes of the default version after the first load. */
  swaps = 0;

  constructor(private readonly o: ModelVersionsOptions) {}

  /** The version un-versioned requests get; undefined until one is loaded. */
  get defaultVersion(): number | undefined {
    return this.current;
  }

  get ready(): boolean {
    return this.current !== undefined;
  }

  /** Loaded versions, ascending. */
  get loaded(): number[] {
    return [...this.served.keys()].sort((a, b) => a - b);
  }

  /** One poll; concurrent calls share the one in progress. */
  refresh(): Promise<void> {
    this.refreshing ??= this.sync().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async sync(): Promise<void> {
    let folder: ServingFolder;
    try {
      folder = await readServingFolder(this.o.dir);
    } catch (e) {
      this.reportOnce({ kind: 'folder-error', error: `${this.o.dir} cannot be read (${(e as Error).message})` });
      return;
    }
    if (folder.aliasesError !== undefined) {
      this.reportOnce({ kind: 'aliases-error', error: folder.aliasesError });
      folder.aliases = this.folder.aliases;
    }
    if (this.closed) return;
    this.folder = folder;
    const present = new Set(folder.versions);
    for (const [alias, version] of Object.entries(folder.aliases)) {
      if (!present.has(version))
        this.reportOnce({ kind: 'aliases-error', error: `aliases.json points ${alias} at version ${version}, which is not in ${this.o.dir}` });
    }
    for (const [version, served] of this.served) if (!present.has(version)) this.retire(version, served);
    for (const version of this.failed.keys()) if (!present.has(version)) this.failed.delete(version);

    const wanted = defaultVersion(folder);
    const pinned = [...new Set([wanted, ...Object.values(folder.aliases)])].filter((v): v is number => v !== undefined && present.has(v)).sort((a, b) => b - a);
    for (const version of pinned) await this.ensureLoaded(version);
    if (this.closed) return;

    const previous = this.current;
    this.current = this.pointer(wanted, previous);
    const aliases: Record<string, number> = {};
    for (const [alias, version] of Object.entries(folder.aliases)) {
      const target = this.pointer(version, this.aliases[alias]);
      if (target !== undefined) aliases[alias] = target;
    }
    this.aliases = aliases;
    if (this.current !== undefined && this.current !== previous) {
      if (previous !== undefined) this.swaps++;
      this.o.onEvent({ kind: 'swapped', from: previous ?? null, to: this.current });
    }

    const kept = new Set([...pinned, ...Object.values(aliases), ...(this.current === undefined ? [] : [this.current])]);
    const now = this.o.now();
    for (const [version, served] of this.served) {
      if (!kept.has(version) && now - served.lastUsed >= this.o.keepIdleMs) this.retire(version, served);
    }
  }

  /** The wanted version when it is loaded, else the one in force while it still is. */
  private pointer(wanted: number | undefined, previous: number | undefined): number | undefined {
    if (wanted !== undefined && this.served.has(wanted)) return wanted;
    return previous !== undefined && this.served.has(previous) ? previous : undefined;
  }

  private async ensureLoaded(version: number): Promise<void> {
    if (this.served.has(version)) return;
    const failure = this.failed.get(version);
    if (failure) {
      // Retried only once the folder's files change (a fixed copy, a new push).
      if (failure.fingerprint === (await fingerprint(this.versionDir(version)))) return;
      this.failed.delete(version);
    }
    await this.load(version).catch(() => undefined);
  }

  private retire(version: number, served: ServedVersion): void {
    this.served.delete(version);
    served.retire();
  }

  /**
   * A lease on the version `ref` names: synchronous when it is loaded (the usual case), after
   * loading it when a URL names a version nothing else uses. 404 for a version or alias that is
   * not in the folder, 503 when it cannot be served (loading, or its package is broken).
   */
  acquire(ref: VersionRef): Lease | Promise<Lease> {
    const version = this.resolve(ref);
    const served = this.served.get(version);
    return served ? served.lease() : this.loadOnDemand(version);
  }

  private resolve(ref: VersionRef): number {
    switch (ref.kind) {
      case 'default':
        if (this.current !== undefined) return this.current;
        throw new HttpError(503, this.unavailable(defaultVersion(this.folder)));
      case 'alias': {
        const version = this.aliases[ref.alias];
        if (version !== undefined) return version;
        const declared = this.folder.aliases[ref.alias];
        if (declared !== undefined) throw new HttpError(503, `${this.o.model}@${ref.alias}: ${this.unavailable(declared)}`);
        const known = Object.keys(this.folder.aliases);
        throw new HttpError(
          404,
          `model '${this.o.model}' has no alias '${ref.alias}'${known.length ? `; its aliases are ${known.join(', ')}` : ' (it has no aliases)'}`,
        );
      }
      case 'version':
        if (this.served.has(ref.version) || this.folder.versions.includes(ref.version)) return ref.version;
        throw new HttpError(
          404,
          `model '${this.o.model}' has no version ${ref.version}${this.folder.versions.length ? `; its versions are ${this.folder.versions.join(', ')}` : ''}`,
        );
    }
  }

  private unavailable(version: number | undefined): string {
    if (version === undefined) return `no version of model '${this.o.model}' is in ${this.o.dir} yet (push one with \`mlops push\`)`;
    if (!this.folder.versions.includes(version) && !this.served.has(version)) return `version ${version} is not in ${this.o.dir}`;
    const failure = this.failed.get(version);
    if (failure) return `version ${version} cannot be served: ${failure.error}`;
    return `version ${version} is loading; try again in a moment`;
  }

  private async loadOnDemand(version: number): Promise<Lease> {
    const failure = this.failed.get(version);
    if (failure) {
      if (failure.fingerprint === (await fingerprint(this.versionDir(version)))) throw new HttpError(503, this.unavailable(version));
      this.failed.delete(version);
    }
    const served = await this.load(version);
    try {
      return served.lease();
    } catch {
      throw new HttpError(503, `version ${version} was unloaded while loading (its folder went away); try again`);
    }
  }

  private load(version: number): Promise<ServedVersion> {
    let pending = this.loading.get(version);
    if (!pending) {
      pending = this.loadVersion(version).finally(() => this.loading.delete(version));
      this.loading.set(version, pending);
    }
    return pending;
  }

  private async loadVersion(version: number): Promise<ServedVersion> {
    const dir = this.versionDir(version);
    const print = await fingerprint(dir);
    const start = this.o.now();
    let model: LoadedModel | undefined;
    try {
      model = await this.o.load(dir);
      // Warm-up: the first call compiles the transform and the model's kernels, off the request path.
      await model.predict([{}]);
    } catch (e) {
      model?.dispose();
      const error = isUserError(e) ? e.message : `the model cannot be loaded: ${(e as Error)?.message ?? String(e)}`;
      this.failed.set(version, { error, fingerprint: print });
      this.o.onEvent({ kind: 'load-failed', version, error });
      throw new HttpError(503, this.unavailable(version));
    }
    const served = new ServedVersion(version, model, this.o.maxBatchRows, this.o.now, (v) => this.o.onEvent({ kind: 'unloaded', version: v }));
    if (this.closed) {
      served.retire();
      throw new HttpError(503, 'the server is shutting down');
    }
    this.served.set(version, served);
    this.o.onEvent({ kind: 'loaded', version, ms: this.o.now() - start });
    return served;
  }

  private versionDir(version: number): string {
    return path.join(this.o.dir, String(version));
  }

  private reportOnce(event: Extract<ServeEvent, { error: string }>): void {
    const key = `${event.kind}:${event.error}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.o.onEvent(event);
  }

  /**
   * Status of every version in the folder or loaded, newest first; with `ref`, of the version it
   * names (404 when there is none).
   */
  statuses(ref?: VersionRef): VersionStatus[] {
    const versions = ref ? [this.statusVersion(ref)] : [...new Set([...this.folder.versions, ...this.served.keys()])].sort((a, b) => b - a);
    return versions.map((version) => {
      const aliases = Object.keys(this.aliases).filter((a) => this.aliases[a] === version);
      if (this.served.has(version)) return { version, state: 'AVAILABLE', aliases };
      if (this.loading.has(version)) return { version, state: 'LOADING', aliases };
      const failure = this.failed.get(version);
      return failure ? { version, state: 'END', error: failure.error, aliases } : { version, state: 'START', aliases };
    });
  }

  private statusVersion(ref: VersionRef): number {
    if (ref.kind === 'default') {
      const version = this.current ?? defaultVersion(this.folder);
      if (version === undefined || !(this.served.has(version) || this.folder.versions.includes(version))) throw new HttpError(404, this.unavailable(version));
      return version;
    }
    // An alias whose version is not loaded (loading, failed) still has a status to report.
    if (ref.kind !== 'alias' || this.aliases[ref.alias] !== undefined || this.folder.aliases[ref.alias] === undefined) return this.resolve(ref);
    const declared = this.folder.aliases[ref.alias];
    if (!this.folder.versions.includes(declared)) throw new HttpError(404, `${this.o.model}@${ref.alias}: ${this.unavailable(declared)}`);
    return declared;
  }

  /** The model of a version, for its metadata (a lease taken and released at once). */
  async describe(ref: VersionRef): Promise<{ version: number; model: LoadedModel }> {
    const lease = await this.acquire(ref);
    lease.release();
    return { version: lease.version, model: lease.model };
  }

  /** Stops loading, retires every version (each is disposed when its last request ends) and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    await this.refreshing;
    await Promise.allSettled([...this.loading.values()]);
    const all = [...this.served.entries()];
    for (const [version, served] of all) this.retire(version, served);
    await Promise.all(all.map(([, served]) => served.drained()));
  }
}

/** Names, sizes and modification times of a version folder's files: changes when anything in it is replaced. */
async function fingerprint(dir: string): Promise<string> {
  try {
    const names = (await fs.readdir(dir)).sort();
    const stats = await Promise.all(
      names.map((n) =>
        fs.stat(path.join(dir, n)).then(
          (s) => `${n}:${s.size}:${s.mtimeMs}`,
          () => n,
        ),
      ),
    );
    return stats.join('|');
  } catch {
    return '';
  }
}

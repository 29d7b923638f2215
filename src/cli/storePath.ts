import * as path from 'node:path';
import { RunStore, storeExists } from '../core/store';

export { artifactsRootFor } from '../core/runner/publish';

export const DEFAULT_STORE = path.join('.mlops', 'store.sqlite');

export function resolveStorePath(option: unknown): string {
  const given = typeof option === 'string' ? option : process.env.MLOPS_STORE;
  return path.resolve(given || DEFAULT_STORE);
}

/** Where `mlops serve` writes its request log and `mlops monitor` reads it unless told otherwise: beside the run store. */
export function defaultServingLogDir(storePath: string): string {
  return path.join(path.dirname(storePath), 'serving-logs');
}

/**
 * Opens the store for writing and settles runs whose process died (SIGKILL, crash) so they show as
 * interrupted instead of running forever.
 */
export function openStoreForWriting(option: unknown): { store: RunStore; storePath: string; recovered: number[] } {
  const storePath = resolveStorePath(option);
  const store = RunStore.open(storePath, { verify: true });
  const recovered = store.recoverInterrupted();
  return { store, storePath, recovered };
}

/** The store read-only, or undefined when there is none yet (nothing has run here). */
export function openStoreForReading(option: unknown): RunStore | undefined {
  const storePath = resolveStorePath(option);
  return storeExists(storePath) ? RunStore.open(storePath, { readonly: true, verify: true }) : undefined;
}

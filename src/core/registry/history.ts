import type { AliasChange } from './types';

/**
 * Where a rollback of `alias` goes by default: the newest version it pointed at before that is not
 * the current one (so rolling back twice toggles between two versions). Undefined when it has no
 * earlier version. Pure, so the editor can name the target in its confirmation before running it.
 */
export function rollbackTarget(newestFirst: readonly AliasChange[], alias: string, current: number | undefined): number | undefined {
  if (current === undefined) return undefined;
  return newestFirst
    .filter((c) => c.alias === alias)
    .map((c) => c.fromVersion)
    .find((v): v is number => v !== null && v !== current);
}

/**
 * The rollback that moved `alias` away from `version`, unless the alias was pointed at that version
 * again since (a person pushed or promoted it back). A pipeline's push leaves the alias alone then.
 */
export function rolledBackFrom(newestFirst: readonly AliasChange[], alias: string, version: number): AliasChange | undefined {
  for (const change of newestFirst) {
    if (change.alias !== alias) continue;
    if (change.toVersion === version) return undefined;
    if (change.rollback && change.fromVersion === version) return change;
  }
  return undefined;
}

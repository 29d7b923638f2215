import type * as vscode from 'vscode';
import { describeDriver, processDriver } from '../../core/store/driver/select';
import type { DriverInfo, SqliteDriver } from '../../core/store/driver/types';
import { errorMessage } from '../../core/util/errorMessage';

export interface StoreDriverDeps {
  log: vscode.LogOutputChannel;
  /** The driver this extension host would use; throws when it has none that loads. */
  choose?: () => SqliteDriver;
  /** Tells the user (an error notification); the views stay up, empty. */
  showError: (message: string) => unknown;
}

/**
 * Finds the store's SQLite driver once at activation and says which it is in the log. Electron's
 * Node in every supported VS Code has node:sqlite; should a build lack it, the user is told why the
 * views stay empty instead of the extension host failing on the first query.
 */
export function checkStoreDriver({ log, choose = processDriver, showError }: StoreDriverDeps): DriverInfo | undefined {
  try {
    const info = describeDriver(choose());
    log.info(`store driver: ${info.name} (SQLite ${info.sqliteVersion}) on Node ${info.nodeVersion}`);
    return info;
  } catch (error) {
    const message = `MLOps Pipelines cannot open run stores in this editor: ${errorMessage(error)}`;
    log.error(message);
    showError(message);
    return undefined;
  }
}

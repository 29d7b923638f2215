import { RunStore } from '../../core/store';

/**
 * The one place the extension touches the store's class. The extension host is shared with every
 * other extension and better-sqlite3 is synchronous, so reads use a short busy timeout: in WAL mode a
 * reader never waits for the CLI's writes, and when something does hold the file we would rather
 * show slightly old data than freeze the editor.
 */
export type ReadStore = Pick<
  RunStore,
  | 'listRuns'
  | 'listPipelines'
  | 'getRun'
  | 'getRunDetails'
  | 'componentStatuses'
  | 'dataVersion'
  | 'close'
  // Curves and comparisons (training and compare panels, tuning trials in the Runs tree).
  | 'metricKeys'
  | 'metricPoints'
  | 'finalMetrics'
  | 'getRuns'
  | 'paramsOfRuns'
  | 'childRunCounts'
  // The model registry (Models tree, push and rollback confirmations, the evaluation's Blessing tab).
  | 'listModels'
  | 'getModel'
  | 'listModelVersions'
  | 'modelVersionsOfRun'
  | 'getModelVersion'
  | 'aliasHistory'
  // Monitoring (Monitoring panel, alert notifications, serving drift in the Drift view).
  | 'listAlerts'
  | 'listWindows'
  | 'monitoredModels'
  // Lineage (the lineage panel: a run, files, a model version).
  | 'lineage'
  | 'artifactIdsAt'
>;

const READ_BUSY_TIMEOUT_MS = 250;
const WRITE_BUSY_TIMEOUT_MS = 3000;

export function openReadonly(file: string): ReadStore {
  return RunStore.open(file, { readonly: true, busyTimeoutMs: READ_BUSY_TIMEOUT_MS });
}

/** Writes (deleting a run) open their own connection and close it at once: the CLI is the writer. */
export function withWriteStore<T>(file: string, fn: (store: RunStore) => T): T {
  const store = RunStore.open(file, { busyTimeoutMs: WRITE_BUSY_TIMEOUT_MS });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

import { isMainThread, workerData } from 'node:worker_threads';

/** What a statistics worker thread carries in its workerData (workers.ts starts them with it). */
export const STATS_WORKER_MARKER = 'mlopsStatisticsWorker';

/** This thread is a statistics worker: the module that serves the tasks starts itself when loaded. */
export function isStatisticsWorkerThread(): boolean {
  return !isMainThread && Boolean((workerData as Record<string, unknown> | undefined)?.[STATS_WORKER_MARKER]);
}

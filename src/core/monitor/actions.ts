import { DEFAULT_ALIAS, rollbackModel } from '../registry';
import type { RunStore } from '../store';
import { isUserError } from '../util/problems';
import type { ActionOutcome, AlertActionRecord, AlertRecord, MonitorAction } from './types';

export interface ActionDeps {
  store: RunStore;
  /**
   * Starts the pipeline as a new run and resolves with its id once the run exists (the CLI runs
   * `mlops run` in a child process); undefined when there is no pipeline file to run.
   */
  retrain?: (alert: AlertRecord) => Promise<{ runId: number; detail?: string }>;
  /**
   * True when a running `mlops watch` of the pipeline takes the retrain instead: the action is left
   * unclaimed for it, so the pipeline's triggered runs still go one at a time.
   */
  retrainWatched?: () => boolean;
}

/**
 * Runs the configured actions an alert has not set off yet, each at most once: the action is
 * claimed in the store before it runs, so a second pass over the same window (or a restarted
 * `--follow`) finds it taken. Rollback applies to performance alerts only; notify is not run here,
 * it is stored with the alert (`recordAlert`'s `notify`). Returns what this call did.
 */
export async function fireActions(alert: AlertRecord, actions: readonly MonitorAction[], deps: ActionDeps): Promise<AlertActionRecord[]> {
  const done: AlertActionRecord[] = [];
  for (const action of actions) {
    if (action === 'notify' || (action === 'rollback' && alert.kind !== 'performance')) continue;
    if (action === 'retrain' && deps.retrainWatched?.()) continue;
    if (!deps.store.claimAlertAction(alert.id, action, 'starting')) continue;
    const outcome = await run(action, alert, deps);
    deps.store.finishAlertAction(alert.id, action, outcome.outcome, outcome.detail, outcome.runId);
    done.push({ action, ...outcome, at: Date.now() });
  }
  return done;
}

type Outcome = Pick<AlertActionRecord, 'detail' | 'runId'> & { outcome: Exclude<ActionOutcome, 'started'> };

async function run(action: Exclude<MonitorAction, 'notify'>, alert: AlertRecord, deps: ActionDeps): Promise<Outcome> {
  try {
    switch (action) {
      case 'retrain':
        return await retrain(alert, deps);
      case 'rollback':
        return await rollback(alert, deps.store);
    }
  } catch (e) {
    if (!isUserError(e)) throw e;
    return { outcome: 'failed', detail: e.problems.map((p) => p.message).join('; '), runId: null };
  }
}

async function retrain(alert: AlertRecord, deps: ActionDeps): Promise<Outcome> {
  const { store } = deps;
  // One retrain per window, and none while the previous one runs: a drifting window raises an alert
  // per feature, and drift that persists raises them window after window.
  const last = store.lastRetrain(alert.model);
  if (last && store.getAlert(last.alertId)?.window.key === alert.window.key) {
    return { outcome: 'skipped', detail: `this window already started run #${last.runId} (alert #${last.alertId})`, runId: null };
  }
  if (last && store.getRun(last.runId)?.status === 'running') {
    return { outcome: 'skipped', detail: `run #${last.runId} (started by alert #${last.alertId}) is still running`, runId: null };
  }
  if (!deps.retrain) return { outcome: 'failed', detail: 'no pipeline file to run: name it (mlops monitor <pipeline>)', runId: null };
  const started = await deps.retrain(alert);
  return { outcome: 'done', detail: `run #${started.runId} started${started.detail ? ` (${started.detail})` : ''}`, runId: started.runId };
}

async function rollback(alert: AlertRecord, store: RunStore): Promise<Outcome> {
  const production = store.getModel(alert.model)?.aliases[DEFAULT_ALIAS];
  if (production !== alert.version) {
    const now = production === undefined ? 'has no production version' : `production is version ${production}`;
    return { outcome: 'skipped', detail: `${alert.model} ${now}, not the alerting version ${alert.version}`, runId: null };
  }
  const change = await rollbackModel(store, alert.model, { reason: `monitor alert #${alert.id}: ${alert.message}` });
  return { outcome: 'done', detail: `production ${change.fromVersion} → ${change.toVersion}`, runId: null };
}

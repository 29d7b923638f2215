import { UserError } from '../util/problems';
import { TrialProcessPool } from './pool';
import { applyParams, assertSearchSpace } from './space';
import { clearState, readState, settingsHash, StateWriter, STATE_FORMAT, STATE_VERSION, type TuneState } from './state';
import { planTuning, type TuningPlan } from './strategies';
import { TrialBook } from './trials';
import type { TrialResult, TrialRunner, TuneOutcome, TuneRequest } from './types';
import { errorMessage } from '../util/errorMessage';

/**
 * Tunes `request.train` by its `tune` settings: every trial is a child run with its params and
 * curves; the best trial's params, applied to the train settings, are what the final model trains
 * with. Without `runTrial`, trials train with trainModel in `tune.parallel` worker processes.
 */
export async function runTuning(request: TuneRequest, runTrial?: TrialRunner): Promise<TuneOutcome> {
  const { train } = request;
  const tune = train.tune;
  if (!tune) throw new Error('runTuning needs train settings with `tune`');
  assertSearchSpace(train);
  const plan = planTuning(train);
  request.log(`tuning with ${plan.summary}; objective ${tune.objective.direction} ${tune.objective.metric}`);
  const state = await openState(request, plan);

  const controller = new AbortController();
  const forward = () => controller.abort(request.signal.reason);
  if (request.signal.aborted) forward();
  request.signal.addEventListener('abort', forward);
  const pool = runTrial
    ? undefined
    : new TrialProcessPool({ size: tune.parallel, transformGraph: request.transformGraph, transformedExamples: request.transformedExamples });
  const book = new TrialBook(request, state.state, state.writer, runTrial ?? pool!.run, controller, plan.trials.length);
  try {
    await plan.run(book);
  } catch (e) {
    await book.stop(request.signal.aborted ? 'canceled' : 'failed', request.signal.aborted ? undefined : errorMessage(e));
    throw e;
  } finally {
    request.signal.removeEventListener('abort', forward);
    await pool?.close();
  }
  return outcome(request, book.results());
}

/** A fresh state, or with `resume` the recorded one when it belongs to these settings (said in the log either way). */
async function openState(request: TuneRequest, plan: TuningPlan): Promise<{ state: TuneState; writer: StateWriter }> {
  const settings = settingsHash(request.train);
  const recorded = await readState(request.checkpointDir);
  let state: TuneState | undefined;
  if (request.resume && recorded) {
    const planned = new Map(plan.trials.map((t) => [t.trial, JSON.stringify(t.params)]));
    const same = recorded.settings === settings && recorded.trials.every((t) => planned.get(t.trial) === JSON.stringify(t.params));
    if (same) {
      state = recorded;
      const done = recorded.trials.filter((t) => t.status !== 'running').length;
      const started = recorded.trials.length - done;
      request.log(`resuming tuning: ${done} of ${plan.trials.length} trials done${started ? `, ${started} continue from their checkpoints` : ''}`);
    } else {
      request.log('the train or tune settings changed since the tuning being resumed: starting its trials over');
    }
  } else if (request.resume) {
    request.log('no earlier tuning to resume here: starting the trials');
  } else if (recorded) {
    request.log('starting a new tuning: the trials of an earlier one in this folder are discarded');
  }
  if (!state) {
    await clearState(request.checkpointDir);
    state = { format: STATE_FORMAT, version: STATE_VERSION, settings, trials: [] };
  }
  const writer = new StateWriter(request.checkpointDir, state);
  await writer.save();
  return { state, writer };
}

function outcome(request: TuneRequest, trials: TrialResult[]): TuneOutcome {
  const tune = request.train.tune!;
  const minimize = tune.objective.direction === 'min';
  let best: TrialResult | undefined;
  for (const t of trials) {
    if (t.status === 'failed' || t.objective === undefined) continue;
    if (!best || (minimize ? t.objective < best.objective! : t.objective > best.objective!)) best = t;
  }
  if (!best) {
    const errors = [...new Set(trials.map((t) => t.error).filter((e): e is string => e !== undefined))];
    throw UserError.at(
      `all ${trials.length} tuning trials failed: ${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} other errors)` : ''}`,
      tune.location,
      'each trial is a child run of this run: its log and error say more',
    );
  }
  const short = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : JSON.stringify(v));
  const shown = Object.entries(best.params)
    .map(([k, v]) => `${k}=${short(v)}`)
    .join(', ');
  request.log(`best trial ${best.trial} of ${trials.length}: ${shown} (${tune.objective.metric} ${short(best.objective)})`);
  return { trials, best, bestConfig: applyParams(request.train, best.params) };
}

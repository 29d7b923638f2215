import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { TuneConfig } from '../../../src/core/pipeline/config';
import { STATE_FILE } from '../../../src/core/tune/state';
import { runTuning } from '../../../src/core/tune/tune';
import type { TrialParams, TrialResult, TuneOutcome } from '../../../src/core/tune/types';
import { UserError } from '../../../src/core/util/problems';
import { tempDir } from '../../helpers/tmp';
import { distanceFromBest, syntheticRunner, trainConfig, tuneRequest } from './support';

const LOG_LR = { learning_rate: { kind: 'log' as const, low: 1e-4, high: 1e-1 } };

/** The trial a correct tuner must pick: the best final objective among the trials it ran. */
function expectedBest(outcome: TuneOutcome): number {
  const scored = outcome.trials.filter((t) => t.status !== 'failed').map((t) => ({ trial: t.trial, value: distanceFromBest(t.params, t.epochs) }));
  return scored.reduce((a, b) => (b.value < a.value ? b : a)).trial;
}

const epochsTrained = (calls: { trial: number; from: number; to: number }[]) => calls.reduce((n, c) => n + Math.max(0, c.to - c.from + 1), 0);

describe('random search', () => {
  it('runs the trials as child runs and picks the best learning rate', async () => {
    const { runner, calls } = syntheticRunner();
    const train = trainConfig({ strategy: 'random', trials: 20, space: LOG_LR });
    const request = tuneRequest(train, tempDir());
    const outcome = await runTuning(request, runner);

    assert.equal(outcome.trials.length, 20);
    assert.ok(outcome.trials.every((t) => t.status === 'complete' && t.epochs === 4 && t.backend === 'cpu'));
    assert.equal(outcome.best.trial, expectedBest(outcome));
    const lr = outcome.best.params.learning_rate as number;
    assert.ok(lr > 0.0015 && lr < 0.006, `best learning rate ${lr}`);
    assert.equal(outcome.best.objective, distanceFromBest(outcome.best.params, 4), 'the objective is the best epoch, here the last');
    assert.equal(outcome.bestConfig.learningRate, lr);
    assert.equal(outcome.bestConfig.tune, undefined);
    assert.equal(outcome.bestConfig.epochs, 4);

    // One child run per trial, with its params and tags, finished; its curves logged under it.
    const children = request.recorded.children;
    assert.equal(children.length, 20);
    assert.ok(children.every((c) => c.status === 'complete' && c.tags?.strategy === 'random'));
    const best = children.find((c) => c.id === outcome.best.runId)!;
    assert.equal(best.params.learning_rate, JSON.stringify(lr));
    const curve = request.recorded.metrics.filter((m) => m.runId === outcome.best.runId && m.point.key === 'val_loss');
    assert.deepEqual(
      curve.map((m) => m.point.step),
      [1, 2, 3, 4],
    );
    assert.equal(calls.length, 20);
    assert.match(request.lines[0], /random search: 20 trials of 4 epochs; objective min val_loss/);
    assert.ok(request.lines.some((l) => /^best trial \d+ of 20: learning_rate=/.test(l)));
  });

  it('draws the same trials for the same seed, others for another', async () => {
    const params = async (seed: number) => {
      const outcome = await runTuning(tuneRequest(trainConfig({ trials: 4, space: LOG_LR }, { seed }), tempDir()), syntheticRunner().runner);
      return outcome.trials.map((t) => t.params);
    };
    const a = await params(7);
    assert.deepEqual(await params(7), a);
    assert.notDeepEqual(await params(8), a);
  });

  it('maximises when the direction is max', async () => {
    const { runner } = syntheticRunner((p, epoch) => -distanceFromBest(p, epoch));
    const outcome = await runTuning(
      tuneRequest(trainConfig({ trials: 10, objective: { metric: 'val_loss', direction: 'max' }, space: LOG_LR }), tempDir()),
      runner,
    );
    assert.equal(outcome.best.trial, expectedBest(outcome));
  });

  it('trains each trial for its own epochs when the space has them', async () => {
    const { runner } = syntheticRunner();
    const request = tuneRequest(trainConfig({ trials: 6, space: { ...LOG_LR, epochs: { kind: 'int', low: 1, high: 3, step: 1 } } }), tempDir());
    const outcome = await runTuning(request, runner);
    assert.ok(outcome.trials.every((t) => t.epochs === t.params.epochs));
    assert.equal(outcome.bestConfig.epochs, outcome.best.params.epochs);
    assert.match(request.lines[0], /random search: 6 trials; objective/);
  });

  it('runs at most `parallel` trials at once', async () => {
    const { runner, concurrency } = syntheticRunner();
    await runTuning(tuneRequest(trainConfig({ trials: 8, parallel: 3, space: LOG_LR }), tempDir()), runner);
    assert.equal(concurrency.max, 3);
  });
});

describe('grid search', () => {
  const space = {
    learning_rate: { kind: 'choice' as const, values: [1e-4, 1e-3, 3e-3, 1e-2] },
    'model.dropout': { kind: 'uniform' as const, low: 0, high: 0.5 },
  };
  const objective = (p: TrialParams, epoch: number) => distanceFromBest(p, epoch) + Math.pow((p['model.dropout'] as number) - 0.25, 2);

  it('runs the grid in order and finds its best point', async () => {
    const { runner } = syntheticRunner(objective);
    const outcome = await runTuning(tuneRequest(trainConfig({ strategy: 'grid', trials: 100, space }), tempDir()), runner);
    assert.deepEqual(
      outcome.trials.map((t) => `${t.params.learning_rate}/${t.params['model.dropout']}`),
      ['0.0001/0', '0.0001/0.25', '0.0001/0.5', '0.001/0', '0.001/0.25', '0.001/0.5', '0.003/0', '0.003/0.25', '0.003/0.5', '0.01/0', '0.01/0.25', '0.01/0.5'],
    );
    assert.deepEqual(outcome.best.params, { learning_rate: 0.003, 'model.dropout': 0.25 });
    assert.equal(outcome.bestConfig.model.dropout, 0.25);
  });

  it('stops at `trials` points and says so', async () => {
    const request = tuneRequest(trainConfig({ strategy: 'grid', trials: 5, space }), tempDir());
    const outcome = await runTuning(request, syntheticRunner(objective).runner);
    assert.equal(outcome.trials.length, 5);
    assert.match(request.lines[0], /the first 5 of 12 grid points: tune\.trials caps the grid/);
  });
});

describe('hyperband', () => {
  const hyperband = (extra: Partial<Omit<TuneConfig, 'space'>> = {}) =>
    trainConfig({ strategy: 'hyperband', maxEpochs: 27, eta: 3, parallel: 2, space: LOG_LR, ...extra });

  it('stops bad trials early, continues promoted ones from their checkpoints, and picks the best', async () => {
    const { runner, calls } = syntheticRunner();
    const request = tuneRequest(hyperband(), tempDir());
    const outcome = await runTuning(request, runner);

    assert.equal(outcome.trials.length, 27 + 12 + 6 + 4);
    assert.equal(outcome.best.trial, expectedBest(outcome));
    assert.equal(outcome.best.epochs, 27);
    const lr = outcome.best.params.learning_rate as number;
    assert.ok(lr > 0.0015 && lr < 0.006, `best learning rate ${lr}`);

    // Poor trials got fewer epochs: in each bracket, every trial that went on beyond its first rung
    // has a better learning rate than every trial stopped there; and the worse half trained less.
    const bracketOf = new Map(request.recorded.children.map((c) => [c.id, c.tags!.bracket]));
    const quality = (t: TrialResult) => distanceFromBest(t.params, 1);
    for (const bracket of ['3', '2', '1']) {
      const own = outcome.trials.filter((t) => bracketOf.get(t.runId) === bracket);
      const first = Math.min(...own.map((t) => t.epochs));
      const stopped = own.filter((t) => t.epochs === first);
      const promoted = own.filter((t) => t.epochs > first);
      assert.ok(stopped.length > promoted.length && promoted.length > 0);
      assert.ok(Math.max(...promoted.map(quality)) < Math.min(...stopped.map(quality)), `bracket ${bracket}`);
      assert.ok(stopped.every((t) => t.status === 'stopped'));
    }
    const byQuality = [...outcome.trials].sort((a, b) => quality(a) - quality(b));
    const half = Math.floor(byQuality.length / 2);
    const mean = (ts: TrialResult[]) => ts.reduce((n, t) => n + t.epochs, 0) / ts.length;
    assert.ok(mean(byQuality.slice(half)) < mean(byQuality.slice(0, half)));

    // Promotions continue: no epoch of any trial trained twice, and every later job resumed.
    for (const t of outcome.trials) {
      const own = calls.filter((c) => c.trial === t.trial);
      assert.equal(epochsTrained(own), t.epochs, `trial ${t.trial}`);
      assert.ok(own.slice(1).every((c) => c.resume));
      assert.equal(own[0].resume, false);
    }
    assert.ok(epochsTrained(calls) < (49 * 27) / 3, 'far fewer epochs than training every trial fully');
  });

  it('ranks only the trials that did not fail', async () => {
    const { runner } = syntheticRunner((p, epoch) => ((p.learning_rate as number) > 0.01 ? NaN : distanceFromBest(p, epoch)));
    const request = tuneRequest(hyperband({ maxEpochs: 9 }), tempDir());
    const outcome = await runTuning(request, runner);
    const failed = outcome.trials.filter((t) => t.status === 'failed');
    assert.ok(failed.length > 0);
    assert.ok(
      failed.every((t) => (t.params.learning_rate as number) > 0.01 && /the objective val_loss was NaN at epoch 1/.test(t.error!) && t.objective === undefined),
    );
    assert.ok((outcome.best.params.learning_rate as number) <= 0.01);
    assert.ok(request.recorded.children.filter((c) => c.status === 'failed').every((c) => /NaN/.test(c.error!)));
  });
});

describe('failing trials', () => {
  it('records a trial that throws as failed and goes on', async () => {
    const { runner } = syntheticRunner(distanceFromBest, {
      beforeEpoch: (job) => {
        if (job.trial === 2) throw new Error('out of memory in trial 2');
      },
    });
    const request = tuneRequest(trainConfig({ trials: 4, space: LOG_LR }), tempDir());
    const outcome = await runTuning(request, runner);
    assert.deepEqual(
      outcome.trials.map((t) => t.status),
      ['complete', 'failed', 'complete', 'complete'],
    );
    assert.equal(outcome.trials[1].error, 'out of memory in trial 2');
    assert.deepEqual(request.recorded.children[1], { ...request.recorded.children[1], status: 'failed', error: 'out of memory in trial 2' });
    assert.ok(request.lines.includes('trial 2 failed: out of memory in trial 2'));
    assert.notEqual(outcome.best.trial, 2);
  });

  it('fails the tuning with a user error when every trial failed', async () => {
    const { runner } = syntheticRunner(() => Infinity);
    await assert.rejects(runTuning(tuneRequest(trainConfig({ trials: 3, space: LOG_LR }), tempDir()), runner), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /all 3 tuning trials failed: the objective val_loss was Infinity at epoch 1/);
      assert.equal(e.problems[0].location?.line, 18);
      return true;
    });
  });

  it('stops at once when the objective is not a metric training reports', async () => {
    const { runner, calls } = syntheticRunner();
    const request = tuneRequest(trainConfig({ trials: 6, parallel: 2, objective: { metric: 'val_auc', direction: 'max' }, space: LOG_LR }), tempDir());
    await assert.rejects(runTuning(request, runner), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /the tuning objective 'val_auc' is not a metric training reports \(it reports loss, val_loss\)/);
      assert.equal(e.problems[0].location?.field, 'train.tune.objective');
      return true;
    });
    assert.ok(calls.length < 6, 'the remaining trials never started');
    assert.ok(request.recorded.children.every((c) => c.status === 'failed'));
  });

  it('checks the search space before anything trains', async () => {
    const { runner, calls } = syntheticRunner();
    const train = trainConfig({ space: { learning_rate: { kind: 'log', low: 0, high: 0.1 } } });
    await assert.rejects(runTuning(tuneRequest(train, tempDir()), runner), /tune\.space\.learning_rate: a log range needs bounds above 0/);
    assert.equal(calls.length, 0);
  });
});

describe('cancel and resume', () => {
  /** Cancels the tuning when `trial` reaches `epoch`, as Ctrl+C would. */
  function cancelAt(trial: number, epoch: number) {
    const controller = new AbortController();
    const synthetic = syntheticRunner(distanceFromBest, {
      beforeEpoch: (job, e) => {
        if (job.trial === trial && e === epoch) controller.abort(new Error('canceled by the user'));
      },
    });
    return { controller, ...synthetic };
  }

  it('resumes explicitly: finished trials are not rerun, the interrupted one continues from its checkpoint', async () => {
    const dir = tempDir();
    const train = trainConfig({ trials: 6, space: LOG_LR });
    const first = cancelAt(4, 3);
    const interrupted = tuneRequest(train, dir, { signal: first.controller.signal });
    await assert.rejects(runTuning(interrupted, first.runner), /canceled by the user/);
    assert.deepEqual(
      interrupted.recorded.children.map((c) => c.status),
      ['complete', 'complete', 'complete', 'canceled'],
    );
    assert.ok(existsSync(path.join(dir, STATE_FILE)));

    const second = syntheticRunner();
    // The same run reopened: its tracking (the store) still has the first pass's child runs. More
    // worker processes do not change what the trials compute, so the tuning still resumes.
    const resumed = tuneRequest({ ...train, tune: { ...train.tune!, parallel: 2 } }, dir, { resume: true, tracking: interrupted.tracking });
    const outcome = await runTuning(resumed, second.runner);
    assert.ok(resumed.lines.includes('resuming tuning: 3 of 6 trials done, 1 continue from their checkpoints'), resumed.lines.join('\n'));
    assert.deepEqual(
      second.calls.map((c) => [c.trial, c.from, c.resume]).sort((a, b) => (a[0] as number) - (b[0] as number)),
      [
        [4, 3, true],
        [5, 1, false],
        [6, 1, false],
      ],
    );
    // The interrupted trial keeps its child run: 6 trials, 6 child runs, all complete now.
    assert.equal(interrupted.recorded.children.length, 6);
    assert.ok(interrupted.recorded.children.every((c) => c.status === 'complete'));

    const uninterrupted = await runTuning(tuneRequest(train, tempDir()), syntheticRunner().runner);
    assert.deepEqual(
      outcome.trials.map((t) => [t.params, t.objective, t.epochs]),
      uninterrupted.trials.map((t) => [t.params, t.objective, t.epochs]),
    );
  });

  it('resumes a Hyperband tuning to the same result without training any epoch twice', async () => {
    const dir = tempDir();
    const train = trainConfig({ strategy: 'hyperband', maxEpochs: 9, eta: 3, parallel: 2, space: LOG_LR });
    const full = syntheticRunner();
    const reference = await runTuning(tuneRequest(train, tempDir()), full.runner);

    const first = cancelAt(reference.best.trial, 5);
    const interrupted = tuneRequest(train, dir, { signal: first.controller.signal });
    await assert.rejects(runTuning(interrupted, first.runner), /canceled/);
    const second = syntheticRunner();
    const resumed = tuneRequest(train, dir, { resume: true, tracking: interrupted.tracking });
    const outcome = await runTuning(resumed, second.runner);

    assert.match(
      resumed.lines.find((l) => l.startsWith('resuming tuning:'))!,
      /^resuming tuning: \d+ of 17 trials done/,
    );
    assert.deepEqual(
      outcome.trials.map((t) => [t.trial, t.status, t.epochs, t.objective]),
      reference.trials.map((t) => [t.trial, t.status, t.epochs, t.objective]),
    );
    assert.equal(epochsTrained(first.calls) + epochsTrained(second.calls), epochsTrained(full.calls), 'no epoch is trained twice');
  });

  it('starts over without --resume, and when the settings changed', async () => {
    const dir = tempDir();
    const train = trainConfig({ trials: 3, space: LOG_LR });
    await runTuning(tuneRequest(train, dir), syntheticRunner().runner);

    const fresh = syntheticRunner();
    const again = tuneRequest(train, dir);
    await runTuning(again, fresh.runner);
    assert.ok(again.lines.includes('starting a new tuning: the trials of an earlier one in this folder are discarded'));
    assert.deepEqual(
      fresh.calls.map((c) => [c.from, c.resume]),
      [
        [1, false],
        [1, false],
        [1, false],
      ],
    );

    const changed = syntheticRunner();
    const other = tuneRequest(trainConfig({ trials: 3, space: LOG_LR }, { batchSize: 64 }), dir, { resume: true });
    await runTuning(other, changed.runner);
    assert.ok(other.lines.includes('the train or tune settings changed since the tuning being resumed: starting its trials over'));
    assert.equal(changed.calls.length, 3);
    assert.ok(changed.calls.every((c) => !c.resume));
  });

  it('writes the state file whole, readable after every change', async () => {
    const dir = tempDir();
    const seen: number[] = [];
    const { runner } = syntheticRunner(distanceFromBest, {
      beforeEpoch: async () => {
        const state = JSON.parse(await fs.readFile(path.join(dir, STATE_FILE), 'utf8')) as { trials: unknown[] };
        seen.push(state.trials.length);
      },
    });
    await runTuning(tuneRequest(trainConfig({ trials: 3, space: LOG_LR }), dir), runner);
    assert.equal(seen.length, 12);
    assert.ok(seen.every((n) => n <= 3));
    assert.equal(seen[seen.length - 1], 3);
    const files = await fs.readdir(dir);
    assert.deepEqual(files.sort(), ['trials', STATE_FILE]);
  });
});

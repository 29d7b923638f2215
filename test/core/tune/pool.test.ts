import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { SearchDimension } from '../../../src/core/pipeline/config';
import { TrialProcessPool } from '../../../src/core/tune/pool';
import { runTuning } from '../../../src/core/tune/tune';
import { isAlive } from '../../helpers/process';
import { tempDir } from '../../helpers/tmp';
import { BATCH_SIZE } from './fakeTrialWorker';
import { trainConfig, tuneRequest } from './support';

const ENTRY = path.join(__dirname, 'fakeTrialWorker.js');

function pool(size: number, killAfterMs = 5000) {
  return new TrialProcessPool({ size, transformGraph: '/nowhere/graph', transformedExamples: '/nowhere/examples', entry: ENTRY, killAfterMs });
}

/** A grid that runs these values in this order, one trial each. */
function grid(space: Record<string, SearchDimension>, parallel: number, epochs = 3) {
  return trainConfig({ strategy: 'grid', trials: 100, parallel, space }, { epochs });
}

const pidsIn = (lines: string[]) => [
  ...new Set(
    lines
      .map((l) => /pid (\d+)/.exec(l)?.[1])
      .filter((p): p is string => p !== undefined)
      .map(Number),
  ),
];

describe('trial process pool', () => {
  it('runs trials side by side in child processes, metrics arriving live under each child run', async () => {
    const workers = pool(2);
    const request = tuneRequest(
      grid({ batch_size: { kind: 'choice', values: [BATCH_SIZE.meetPeer] }, learning_rate: { kind: 'choice', values: [0.001, 0.003] } }, 2),
      tempDir(),
    );
    try {
      const outcome = await runTuning(request, workers.run);
      assert.deepEqual(
        outcome.trials.map((t) => [t.status, t.epochs, t.backend]),
        [
          ['complete', 3, 'cpu'],
          ['complete', 3, 'cpu'],
        ],
      );
      assert.equal(outcome.best.params.learning_rate, 0.003);
    } finally {
      await workers.close();
    }
    const pids = pidsIn(request.lines);
    assert.equal(pids.length, 2, 'two worker processes');
    assert.ok(!pids.includes(process.pid));
    // Each trial waited until the other was running too: they overlapped.
    const peers = request.recorded.metrics.filter((m) => m.point.key === 'peers').map((m) => m.point.value);
    assert.equal(peers.length, 6);
    assert.ok(
      peers.every((n) => n >= 2),
      `peers seen ${peers}`,
    );
    for (const child of request.recorded.children) {
      assert.deepEqual(
        request.recorded.metrics.filter((m) => m.runId === child.id && m.point.key === 'val_loss').map((m) => m.point.step),
        [1, 2, 3],
      );
    }
    assert.deepEqual(workers.pids, []);
    assert.ok(
      pids.every((pid) => !isAlive(pid)),
      'closing the pool ends its workers',
    );
  });

  it('reuses a worker for the next trial and continues a trial from its checkpoint', async () => {
    const workers = pool(1);
    const train = trainConfig(
      { strategy: 'hyperband', maxEpochs: 3, eta: 3, parallel: 1, space: { learning_rate: { kind: 'log', low: 1e-3, high: 1e-2 } } },
      { batchSize: 32 },
    );
    const request = tuneRequest(train, tempDir());
    try {
      const outcome = await runTuning(request, workers.run);
      assert.equal(outcome.trials.length, 5);
      // The promoted trial trained epochs 2-3 after epoch 1, not 1-3 again.
      const promoted = outcome.trials.find((t) => t.epochs === 3 && request.recorded.children.find((c) => c.id === t.runId)!.tags!.bracket === '1')!;
      assert.deepEqual(
        request.recorded.metrics.filter((m) => m.runId === promoted.runId && m.point.key === 'val_loss').map((m) => m.point.step),
        [1, 2, 3],
      );
    } finally {
      await workers.close();
    }
    assert.equal(pidsIn(request.lines).length, 1);
  });

  it('fails only the trial whose worker crashed, with its exit and last output', async () => {
    const workers = pool(1);
    const request = tuneRequest(grid({ batch_size: { kind: 'choice', values: [BATCH_SIZE.crash, 32] } }, 1), tempDir());
    try {
      const outcome = await runTuning(request, workers.run);
      assert.deepEqual(
        outcome.trials.map((t) => t.status),
        ['failed', 'complete'],
      );
      assert.equal(
        outcome.trials[0].error,
        'the worker process training trial 1 exited with code 3 before finishing; its last output:\nfake crash: out of memory',
      );
      assert.equal(outcome.best.trial, 2);
    } finally {
      await workers.close();
    }
    assert.equal(pidsIn(request.lines).length, 2, 'a new worker replaced the crashed one');
  });

  it("reports a user error's message and a NaN objective from a worker as that trial's failure", async () => {
    const workers = pool(2);
    const request = tuneRequest(
      grid({ batch_size: { kind: 'choice', values: [BATCH_SIZE.userError, 32] }, learning_rate: { kind: 'choice', values: [0.1, 0.001] } }, 2, 2),
      tempDir(),
    );
    try {
      const outcome = await runTuning(request, workers.run);
      assert.deepEqual(
        outcome.trials.map((t) => t.status),
        ['failed', 'failed', 'failed', 'complete'],
      );
      assert.equal(outcome.trials[0].error, 'data.csv, row 3: error: the label column is gone');
      assert.equal(outcome.trials[2].error, 'the objective val_loss was NaN at epoch 1');
      assert.ok(!request.lines.some((l) => /\n\s+at /.test(l)), 'no stack trace for a user error');
    } finally {
      await workers.close();
    }
  });

  it('cancel aborts the trials and ends every worker, killing one that does not stop', async () => {
    const workers = pool(2, 200);
    const controller = new AbortController();
    const request = tuneRequest(grid({ batch_size: { kind: 'choice', values: [BATCH_SIZE.hang, 32] } }, 2, 100_000), tempDir(), {
      signal: controller.signal,
      // Cancel once both workers are busy: one hanging, one training epoch after epoch.
      log: (line) => {
        request.lines.push(line);
        if (pidsIn(request.lines).length === 2) controller.abort(new Error('canceled by the user'));
      },
    });
    try {
      await assert.rejects(runTuning(request, workers.run), /canceled by the user/);
    } finally {
      await workers.close();
    }
    const pids = pidsIn(request.lines);
    assert.equal(pids.length, 2);
    assert.ok(
      pids.every((pid) => !isAlive(pid)),
      'no worker outlives the cancel',
    );
    assert.deepEqual(
      request.recorded.children.map((c) => c.status),
      ['canceled', 'canceled'],
    );
  });
});

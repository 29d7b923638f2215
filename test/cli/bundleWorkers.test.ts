/**
 * The bundled CLI (dist/mlops.js) starts its workers by loading itself: the statistics threads and
 * the tuning trial processes. Its commands load lazily (src/cli/main.ts), so these check that a worker
 * started from the bundle really serves, instead of exiting and leaving the work to one thread.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { StatsPool } from '../../src/core/stats/workers';
import { TrialProcessPool } from '../../src/core/tune/pool';
import { runTuning } from '../../src/core/tune/tune';
import { REPO_ROOT, tempDir } from '../helpers/tmp';
import { trainConfig, tuneRequest } from '../core/tune/support';

const BUNDLE = path.join(REPO_ROOT, 'dist', 'mlops.js');

describe('workers of the bundled CLI', () => {
  it('a statistics worker thread started from the bundle serves', async () => {
    const pool = await StatsPool.start(1, BUNDLE);
    assert.ok(pool, 'the worker did not say ready');
    await pool.close();
  });

  it('a tuning trial process started from the bundle takes a job and answers it', async () => {
    const transformGraph = path.join(tempDir(), 'no-graph');
    const workers = new TrialProcessPool({
      size: 1,
      transformGraph,
      transformedExamples: path.join(tempDir(), 'no-examples'),
      entry: BUNDLE,
      killAfterMs: 5000,
    });
    const request = tuneRequest(
      trainConfig({ strategy: 'grid', trials: 1, space: { learning_rate: { kind: 'choice', values: [0.01] } } }, { epochs: 1 }),
      tempDir(),
    );
    try {
      await assert.rejects(runTuning(request, workers.run), /no-graph: error: no transform graph here/, 'the worker answered with its own error');
    } finally {
      await workers.close();
    }
  });
});

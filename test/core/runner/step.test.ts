import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ExecutorContext } from '../../../src/core/runner/executor';
import { stepExecutor } from '../../../src/core/runner/executors/step';
import { tempDir } from '../../helpers/tmp';
import { stepConfig } from '../../helpers/stepConfig';

function context(lines: string[] = [], signal = new AbortController().signal): ExecutorContext {
  return {
    config: { name: 'p', seed: 7 } as ExecutorContext['config'],
    component: { name: 's', type: 'step', dependsOn: [], location: { file: '' } },
    runId: 42,
    executionId: 1,
    inputs: new Map([['ingest', [{ id: 1, name: 'examples', type: 'Examples', uri: '/x/examples', contentHash: null, properties: {} }]]]),
    outputDir: async () => '',
    checkpointDir: async () => '',
    resume: false,
    tracking: {
      logMetrics: () => undefined,
      logParams: () => undefined,
      setTags: () => undefined,
      setBackend: () => undefined,
      startChildRun: () => 0,
      finishChildRun: () => undefined,
    },
    registry: { baseline: () => undefined, push: () => Promise.reject(new Error('no registry in this test')) },
    signal,
    progress: () => undefined,
    log: (l) => lines.push(l),
  };
}

describe('custom steps', () => {
  it('runs the command with its environment and reads metrics (scalars and series)', async () => {
    const dir = tempDir();
    const s = stepConfig(dir, {
      run: 'echo "$MLOPS_RUN_ID $MLOPS_UPSTREAM_INGEST_EXAMPLES $GREETING" && printf \'{"acc": 0.9, "loss": [0.5, 0.25]}\' > "$MLOPS_METRICS_FILE" && echo hi > "$MLOPS_OUTPUT_MODEL"',
      env: { GREETING: 'hello' },
      outputs: { model: path.join(dir, 'model.txt') },
      metrics: path.join(dir, 'metrics.json'),
    });
    const lines: string[] = [];
    const result = await stepExecutor(s).run(context(lines));
    assert.deepEqual(lines, ['42 /x/examples hello']);
    assert.deepEqual(
      result.metrics!.map((m) => [m.key, m.step, m.value]),
      [
        ['acc', 0, 0.9],
        ['loss', 0, 0.5],
        ['loss', 1, 0.25],
      ],
    );
    assert.equal(result.summary, 'acc 0.9 · loss 0.25 (last of 2)', 'a series shows its latest value, as runs show does');
    assert.deepEqual(
      result.outputs.map((o) => [o.name, o.type, o.managed]),
      [['model', 'File', false]],
    );
  });

  it('fails with the exit code, the location and the end of stderr', async () => {
    const dir = tempDir();
    const run = stepExecutor(stepConfig(dir, { run: 'echo "Traceback: boom" >&2; exit 3' })).run(context());
    await assert.rejects(run, (e: Error) => {
      assert.match(e.message, /p\.pipeline\.yaml:7:5: error: step 's' failed: the command exited with code 3/);
      assert.match(e.message, /Traceback: boom/);
      return true;
    });
  });

  it('fails when a declared output was not written or an input is missing', async () => {
    const dir = tempDir();
    await assert.rejects(
      stepExecutor(stepConfig(dir, { outputs: { model: path.join(dir, 'm.bin') } })).run(context()),
      /declared the output 'model' but did not write/,
    );
    await assert.rejects(stepExecutor(stepConfig(dir, { inputs: { data: path.join(dir, 'nope.csv') } })).run(context()), /input 'data' not found/);
  });

  it('reports a metrics file that is not JSON with its line and column', async () => {
    const dir = tempDir();
    const metrics = path.join(dir, 'metrics.json');
    await assert.rejects(stepExecutor(stepConfig(dir, { run: `printf '{\\n  "a": 1,\\n  "b": oops }' > ${metrics}`, metrics })).run(context()), (e: Error) => {
      assert.match(e.message, /metrics\.json:3:\d+: error: step 's' wrote a metrics file that is not valid JSON/);
      return true;
    });
    await assert.rejects(
      stepExecutor(stepConfig(dir, { run: `echo '{"a": "x"}' > ${metrics}`, metrics })).run(context()),
      /metric 'a' must be a finite number/,
    );
  });

  it("is cached only when it declares outputs, keyed by its inputs' content", async () => {
    const dir = tempDir();
    const input = path.join(dir, 'in.txt');
    await fs.writeFile(input, 'one');
    assert.equal(await stepExecutor(stepConfig(dir, {})).fingerprint!(context()), undefined);
    const s = stepConfig(dir, { inputs: { data: input }, outputs: { out: path.join(dir, 'o') } });
    const before = JSON.stringify(await stepExecutor(s).fingerprint!(context()));
    await fs.writeFile(input, 'two');
    assert.notEqual(JSON.stringify(await stepExecutor(s).fingerprint!(context())), before);
  });
});

describe('custom steps and cancel', () => {
  it('stops at once when the cancel came before the command started', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    controller.abort(new Error('canceled'));
    const started = Date.now();
    await assert.rejects(stepExecutor(stepConfig(dir, { run: 'sleep 30' })).run(context([], controller.signal)), /canceled/);
    assert.ok(Date.now() - started < 5000, 'the command was stopped, not waited for');
  });
});

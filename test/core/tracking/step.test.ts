/**
 * A step's own code tracks through the `mlops` Python module (resources/python) or by writing the
 * protocol's JSON lines itself: what it logs reaches the runner's store connection as it runs, and
 * what was logged before a cancel stays.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { stepExecutor } from '../../../src/core/runner/executors/step';
import { executorContext } from '../../helpers/executorContext';
import { tempDir } from '../../helpers/tmp';
import { stepConfig } from '../../helpers/stepConfig';
import type { PipelineConfig } from '../../../src/core/pipeline/config';

/** The tracking tests' step: `fit`, running `run`. */
const step = (dir: string, run: string) => stepConfig(dir, { name: 'fit', run });

function context(signal?: AbortSignal) {
  return executorContext({ name: 'p', seed: 7 } as PipelineConfig, { name: 'fit', type: 'step' }, { signal });
}

describe('tracking from a step', () => {
  it("records a Python script's parameters, per-epoch metrics and tags, and reports the values it cannot keep", async () => {
    const dir = tempDir();
    await fs.writeFile(
      path.join(dir, 'train.py'),
      [
        'import mlops',
        'assert mlops.active()',
        'mlops.log_params({"learning_rate": 0.01, "layers": [64, 32]})',
        'for epoch in range(3):',
        '    mlops.log_metrics({"loss": 1.0 / (epoch + 1), "val_auc": 0.7 + epoch / 100}, step=epoch)',
        'mlops.log_metric("loss", float("nan"), step=3)',
        'mlops.log_metric("note", "not a number", step=3)',
        'mlops.set_tag("framework", "numpy-free")',
      ].join('\n'),
    );
    const { context: ctx, recorded } = context();
    const result = await stepExecutor(step(dir, 'python3 train.py')).run(ctx);
    assert.deepEqual(recorded.params, { learning_rate: '0.01', layers: '[64, 32]' });
    assert.deepEqual(recorded.tags, { framework: 'numpy-free' });
    const curve = (key: string) => recorded.metrics.filter((m) => m.point.key === key).map((m) => [m.point.step, m.point.value]);
    assert.deepEqual(curve('loss'), [
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
    ]);
    assert.deepEqual(curve('val_auc'), [
      [0, 0.7],
      [1, 0.71],
      [2, 0.72],
    ]);
    assert.ok(recorded.metrics.every((m) => typeof m.point.timestamp === 'number' && m.point.timestamp > 0));
    assert.deepEqual(
      recorded.lines.filter((l) => l.startsWith('tracking')),
      ['tracking line 5: skipped loss = null (metrics are finite numbers)', 'tracking line 6: skipped note = "not a number" (metrics are finite numbers)'],
    );
    assert.equal(result.summary, 'tracked 6 metric points · 2 tracking problems');
  });

  it("logs Keras epochs through keras_callback() and takes scalars float() reads (a framework's tensors)", async () => {
    const dir = tempDir();
    // A stand-in for Keras with the one class the callback needs: the framework is imported only when asked for.
    await fs.mkdir(path.join(dir, 'keras'));
    await fs.writeFile(path.join(dir, 'keras', '__init__.py'), 'from . import callbacks\n');
    await fs.writeFile(path.join(dir, 'keras', 'callbacks.py'), 'class Callback:\n    pass\n');
    await fs.writeFile(
      path.join(dir, 'fit.py'),
      [
        'import sys, mlops',
        'assert "keras" not in sys.modules',
        'class Scalar:',
        '    def __init__(self, v): self.v = v',
        '    def __float__(self): return self.v',
        'callback = mlops.keras_callback()',
        'for epoch in range(2):',
        '    callback.on_epoch_end(epoch, {"loss": Scalar(0.5 - epoch / 10), "val_loss": 0.6})',
      ].join('\n'),
    );
    const { context: ctx, recorded } = context();
    await stepExecutor(step(dir, 'PYTHONPATH="$PYTHONPATH:." python3 fit.py')).run(ctx);
    assert.deepEqual(
      recorded.metrics.map((m) => [m.point.key, m.point.step, m.point.value]),
      [
        ['loss', 0, 0.5],
        ['val_loss', 0, 0.6],
        ['loss', 1, 0.4],
        ['val_loss', 1, 0.6],
      ],
    );
  });

  it('makes the artifacts and models it logs outputs of the step, and names a second model under one name', async () => {
    const dir = tempDir();
    await fs.writeFile(
      path.join(dir, 'fit.py'),
      [
        'import mlops',
        'open("model.onnx", "wb").write(b"onnx bytes")',
        'open("report.html", "w").write("<p>ok</p>")',
        'mlops.log_model("model.onnx", flavor="onnx", signature={"inputs": {"x": ["fare", "tips"]}})',
        'mlops.log_model("report.html", flavor="onnx")',
        'mlops.log_artifact("report.html")',
      ].join('\n'),
    );
    const { context: ctx, recorded } = context();
    const result = await stepExecutor(step(dir, 'python3 fit.py')).run(ctx);
    assert.deepEqual(result.outputs, [
      {
        name: 'model',
        type: 'Model',
        path: path.join(dir, 'model.onnx'),
        managed: false,
        properties: { flavor: 'onnx', signature: { inputs: { x: ['fare', 'tips'] } } },
      },
      { name: 'report.html', type: 'File', path: path.join(dir, 'report.html'), managed: false },
    ]);
    assert.deepEqual(
      recorded.lines.filter((l) => l.startsWith('tracking')),
      [`tracking line 2: model "model" was logged twice: kept ${path.join(dir, 'model.onnx')}; log the second under another name`],
    );
  });

  it('fails, naming it, when a logged model is not there when the step ends', async () => {
    const dir = tempDir();
    await fs.writeFile(path.join(dir, 'fit.py'), 'import mlops\nmlops.log_model("gone.onnx")\n');
    await assert.rejects(
      stepExecutor(step(dir, 'python3 fit.py')).run(context().context),
      /step 'fit' logged the model 'model' at .*gone\.onnx, but nothing is there/,
    );
  });

  it('takes the same JSON lines from any language (here a Node step writing to the descriptor)', async () => {
    const dir = tempDir();
    const lines = [
      { type: 'metrics', values: { loss: 0.5 }, step: 1 },
      { type: 'params', values: { depth: 3 } },
      { type: 'bogus', values: {} },
    ].map((r) => JSON.stringify(r));
    lines.push('not json');
    await fs.writeFile(
      path.join(dir, 'fit.js'),
      `const fs = require('fs'); const fd = Number(process.env.MLOPS_TRACKING_FD); for (const l of ${JSON.stringify(lines)}) fs.writeSync(fd, l + '\\n');`,
    );
    const { context: ctx, recorded } = context();
    await stepExecutor(step(dir, `"${process.execPath}" fit.js`)).run(ctx);
    assert.deepEqual(
      recorded.metrics.map((m) => [m.point.key, m.point.step, m.point.value]),
      [['loss', 1, 0.5]],
    );
    assert.deepEqual(recorded.params, { depth: '3' });
    assert.deepEqual(
      recorded.lines.filter((l) => l.startsWith('tracking')),
      ['tracking line 3: unknown "type" "bogus": use metrics, params, tags, artifact, model or end', 'tracking line 4: not JSON: not json'],
    );
  });

  it('keeps what a step logged before it was canceled', async () => {
    const dir = tempDir();
    await fs.writeFile(
      path.join(dir, 'forever.py'),
      ['import itertools, time, mlops', 'for i in itertools.count():', '    mlops.log_metric("loss", 1 / (i + 1), step=i)', '    time.sleep(0.02)'].join('\n'),
    );
    const controller = new AbortController();
    const { context: ctx, recorded } = context(controller.signal);
    const logMetrics = ctx.tracking.logMetrics;
    // Cancel as soon as the first points are stored: the event itself, not a timer.
    ctx.tracking.logMetrics = (points, child) => {
      logMetrics(points, child);
      if (recorded.metrics.length >= 3) controller.abort(new Error('canceled'));
    };
    await assert.rejects(stepExecutor(step(dir, 'python3 forever.py')).run(ctx), /canceled/);
    const steps = recorded.metrics.map((m) => m.point.step);
    assert.ok(steps.length >= 3, `points kept: ${steps.length}`);
    assert.deepEqual(
      steps,
      steps.map((_, i) => i),
      'every point up to the cancel, in order',
    );
  });

  it('says so on stderr and records nothing when the module runs outside a step', async () => {
    const { spawnSync } = await import('node:child_process');
    const { pythonClientDir } = await import('../../../src/core/tracking/pythonClient.js');
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: pythonClientDir() };
    delete env.MLOPS_TRACKING_FD;
    const r = spawnSync('python3', ['-c', 'import mlops; print(mlops.active()); mlops.log_metric("loss", 1); mlops.log_metric("loss", 2)'], {
      env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'False\n');
    assert.equal(r.stderr.match(/not inside a pipeline step and no mlops.start_run\(\)/g)?.length, 1, 'said once');
  });
});

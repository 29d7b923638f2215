/**
 * Runs recorded outside a pipeline: `mlops track` reads tracking lines on stdin, and the Python
 * module's start_run() drives it from a script or notebook.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RunDetails, RunListPage } from '../../src/core/store/types';
import { pythonClientDir } from '../../src/core/tracking/pythonClient';
import { CLI, mlops, mlopsJson } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

function track(input: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, [CLI, 'track', ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('runs recorded outside a pipeline', () => {
  it('mlops track records what arrives on stdin, names the lines it skips, and marks a run that never ended', () => {
    const cwd = tempDir();
    const lines = [
      '{"type":"params","values":{"lr":0.1}}',
      '{"type":"metrics","values":{"loss":0.5},"step":1}',
      'garbage',
      '{"type":"end","status":"complete"}',
    ];
    const done = track(lines.join('\n') + '\n', ['--name', 'probe', '--tag', 'python=3.11.2'], cwd);
    assert.equal(done.status, 0, done.stderr);
    assert.deepEqual(JSON.parse(done.stdout.split('\n')[0]), { runId: 1 });
    assert.match(done.stderr, /mlops track: tracking line 3: not JSON: garbage/);
    const details = mlopsJson<RunDetails>(['runs', 'show', '1'], cwd);
    assert.equal(details.run.pipelineName, 'probe');
    assert.equal(details.run.status, 'complete');
    assert.deepEqual(details.params, { lr: '0.1' });
    assert.deepEqual(details.tags, { python: '3.11.2', source: 'mlops track' });
    assert.deepEqual(
      details.metrics.map((m) => [m.key, m.step, m.value]),
      [['loss', 1, 0.5]],
    );
    const cut = track('{"type":"metrics","values":{"loss":0.4}}\n', [], cwd);
    assert.equal(cut.status, 0, cut.stderr);
    const interrupted = mlopsJson<RunDetails>(['runs', 'show', '2'], cwd);
    assert.equal(interrupted.run.status, 'interrupted');
    assert.equal(interrupted.run.pipelineName, 'notebook');
    assert.match(String(interrupted.run.error), /stopped without ending its run/);
  });

  it("start_run() in a Python script records a run with the script's hash, its model as an output, a missing file said, a failed block as failed", async () => {
    const cwd = tempDir();
    const script = path.join(cwd, 'experiment.py');
    await fs.writeFile(
      script,
      [
        'import mlops',
        'with mlops.start_run(name="baseline") as run:',
        '    mlops.log_params({"hidden": 32})',
        '    for epoch in range(3):',
        '        mlops.log_metrics({"loss": 1 / (epoch + 1)}, step=epoch)',
        '    open("model.onnx", "wb").write(b"onnx bytes")',
        '    mlops.log_model("model.onnx", signature={"inputs": {"x": ["a"]}})',
        '    mlops.log_artifact("notes.txt")',
        'try:',
        '    with mlops.start_run():',
        '        raise ValueError("diverged")',
        'except ValueError:',
        '    pass',
      ].join('\n'),
    );
    const env = { ...process.env, PYTHONPATH: pythonClientDir(), MLOPS_NODE: process.execPath, MLOPS_CLI: CLI };
    const r = spawnSync('python3', [script], { cwd, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /mlops track: the artifact 'notes\.txt' at .*notes\.txt is not there: not recorded/);
    const { runs } = mlopsJson<RunListPage>(['runs', 'list'], cwd);
    assert.deepEqual(runs.map((run) => [run.pipelineName, run.status, run.pipelineFile]).reverse(), [
      ['baseline', 'complete', script],
      ['experiment', 'failed', script],
    ]);
    assert.match(runs[1].pipelineHash, /^sha256:[0-9a-f]{64}$/);
    const baseline = mlopsJson<RunDetails>(['runs', 'show', String(runs[1].id)], cwd);
    assert.deepEqual(baseline.params, { hidden: '32' });
    assert.match(baseline.tags.python, /^3\.\d+/);
    assert.deepEqual(
      baseline.metrics.map((m) => [m.key, m.points, m.step]),
      [['loss', 3, 2]],
    );
    assert.deepEqual(
      baseline.executions.map((e) => [e.component, e.status]),
      [['script', 'complete']],
    );
    const model = baseline.artifacts.find((a) => a.role === 'output')!;
    assert.deepEqual(
      [model.type, model.name, model.uri, model.properties],
      ['Model', 'model', path.join(cwd, 'model.onnx'), { flavor: 'onnx', signature: { inputs: { x: ['a'] } } }],
    );
    assert.match(String(model.contentHash), /^sha256:/);
    const push = mlops(['push', String(runs[1].id), '--model', 'baseline'], cwd);
    assert.equal(push.status, 2);
    assert.match(
      push.stderr,
      /logged the onnx model 'model' \(.*model\.onnx\), which is not a model package\n {2}hint: train it in a pipeline step that `train: \{ step: <name> \}` names/,
    );
    const failed = mlopsJson<RunDetails>(['runs', 'show', String(runs[0].id)], cwd);
    assert.equal(failed.run.error, 'ValueError: diverged');
    assert.deepEqual(
      failed.executions.map((e) => [e.component, e.status, e.error]),
      [['script', 'failed', 'ValueError: diverged']],
    );
  });
});

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { mlops, mlopsAsync, mlopsJson } from '../helpers/cli';
import { pythonWith } from '../helpers/python';
import { REPO_ROOT, SHARED_DATASETS, tempDir } from '../helpers/tmp';
import { call, evalCsv, instance, TAXI, type TaxiModel } from '../core/serve/helpers';

/**
 * Models from the user's own Python code: a PyTorch step exports ONNX with the preprocessing inside
 * the graph, and the model goes through evaluation, the registry, `mlops predict` and serving like
 * one the built-in trainer made; a logistic regression written with onnx.helper is evaluated on UCI
 * Adult with fairness. Debian's python3-torch and python3-onnx build the models in the test.
 */
const { python, skip } = pythonWith(['torch', 'onnx']);
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'onnx');
/** Eval rows compared one by one with the torch model's own outputs. */
const COMPARED_ROWS = 500;

interface RunShow {
  run: { status: string };
  metrics: { key: string; value: number; step: number; points: number }[];
  artifacts: { name: string; type: string; uri: string; role: string; properties: Record<string, unknown> }[];
}

/**
 * The shipped examples with the shared datasets as their data/, and `python3` on PATH being one
 * that imports torch: examples/python-sklearn-style runs exactly as a user runs it. taxi-torch@1 is
 * the tfjs model of examples/taxi; the PyTorch pipeline then pushes taxi-torch@2.
 */
function workspace(): { dir: string; env: NodeJS.ProcessEnv; servingDir: string } {
  const dir = tempDir('mlops-onnx-');
  cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
  symlinkSync(SHARED_DATASETS, path.join(dir, 'data'));
  const bin = path.join(dir, '.bin');
  mkdirSync(bin);
  symlinkSync(spawnSync(python!, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'python3'));
  const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
  for (const args of [
    ['run', 'taxi/taxi.pipeline.yaml'],
    ['push', '1', '--force', '--model', 'taxi-torch'],
  ]) {
    const r = mlops(args, dir, env);
    if (r.status !== 0) throw new Error(`mlops ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return { dir, env, servingDir: path.join(dir, '.mlops', 'serving', 'taxi-torch') };
}

const ws = skip ? (undefined as unknown as ReturnType<typeof workspace>) : workspace();

describe('ONNX models from a Python step', { skip, concurrency: false }, () => {
  let torchOutputs: number[];
  let tfjsInputs: { name: string; type: string; required: boolean }[];

  it("examples/python-sklearn-style: the PyTorch step's ONNX model is evaluated, blessed and pushed; its curves tracked", () => {
    const r = mlops(['run', 'python-sklearn-style/taxi-torch.pipeline.yaml', '--json'], ws.dir, ws.env);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const runId = (JSON.parse(r.stdout) as { runId: number }).runId;
    const run = mlopsJson<RunShow>(['runs', 'show', String(runId)], ws.dir);
    assert.equal(run.run.status, 'complete');
    const model = run.artifacts.find((a) => a.name === 'model' && a.role === 'output')!;
    assert.equal(model.type, 'Model');
    assert.equal(model.properties.flavor, 'onnx');
    assert.equal(model.properties.task, 'binary');
    const manifest = JSON.parse(readFileSync(path.join(model.uri, 'mlops-model.json'), 'utf8'));
    assert.equal(manifest.onnx.inputs[0].name, 'features');
    assert.equal(manifest.onnx.inputs[0].columns[0], 'paid_cash', 'a derived column feeds the graph');
    assert.deepEqual(manifest.signature.classes, ['false', 'true']);
    const requestColumns = manifest.signature.inputs.map((i: { name: string }) => i.name);
    assert.ok(requestColumns.includes('payment_type') && !requestColumns.includes('tips'), 'requests carry raw columns, never tips');
    const auc = run.metrics.find((m) => m.key === 'eval.auc')!.value;
    assert.ok(auc >= 0.9, `eval.auc ${auc}: the example's own threshold`);
    const valLoss = run.metrics.find((m) => m.key === 'val_loss')!;
    assert.deepEqual([valLoss.points, valLoss.step], [8, 8], 'one val_loss point per epoch, logged by the script');
    const versions = mlopsJson<{ versions: { version: number; aliases: string[] }[] }>(['models', 'show', 'taxi-torch'], ws.dir);
    assert.deepEqual(versions.versions.find((v) => v.version === 2)?.aliases, ['production']);
    const predictions = run.artifacts.find((a) => a.name === 'eval_predictions')!;
    torchOutputs = JSON.parse(readFileSync(predictions.uri, 'utf8')) as number[];
    tfjsInputs = JSON.parse(readFileSync(path.join(ws.servingDir, '1', 'mlops-model.json'), 'utf8')).signature.inputs;
  });

  it("mlops predict, TF Serving REST, Open Inference v2 and MLflow scoring all give the torch model's own outputs (to 1e-6) on the taxi eval rows; monitoring reads the served rows", async () => {
    const out = path.join(ws.dir, 'predictions.csv');
    const r = mlops(['predict', '--model', 'taxi-torch@2', path.join(TAXI, 'eval.csv'), '--out', out], ws.dir);
    assert.equal(r.status, 0, r.stderr);
    const scores = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(',')[2]));
    assert.equal(scores.length, torchOutputs.length);
    assertClose(scores, torchOutputs, 'mlops predict');

    const server = await serve(ws.dir);
    try {
      const { rows } = evalCsv(COMPARED_ROWS);
      const inputs = JSON.parse(readFileSync(path.join(ws.servingDir, '2', 'mlops-model.json'), 'utf8')).signature.inputs as TaxiModel['inputs'];
      const rest = await call(server.url, '/v1/models/taxi-torch:predict', { body: { instances: rows.map((row) => instance(row, inputs)) } });
      assert.equal(rest.status, 200, rest.text);
      assert.equal(rest.headers.get('x-model-version'), '2');
      assertClose(
        rest.body.predictions.map((p: { probability: number }) => p.probability),
        torchOutputs.slice(0, COMPARED_ROWS),
        'TF Serving REST',
      );
      const tensors = inputs.map((input) => ({
        name: input.name,
        shape: [rows.length],
        datatype: input.type === 'string' ? 'BYTES' : 'FP64',
        data: rows.map((row) => (row[input.name] === '' ? null : input.type === 'string' ? row[input.name] : Number(row[input.name]))),
      }));
      const v2 = await call(server.url, '/v2/models/taxi-torch/infer', { body: { inputs: tensors } });
      assert.equal(v2.status, 200, v2.text);
      assertClose(v2.body.outputs.find((o: { name: string }) => o.name === 'probability').data, torchOutputs.slice(0, COMPARED_ROWS), 'Open Inference v2');
      const mlflow = await call(server.url, '/invocations', { body: { dataframe_records: rows.map((row) => instance(row, inputs)) } });
      assert.equal(mlflow.status, 200, mlflow.text);
      assertClose(
        mlflow.body.predictions.map((p: { probability: number }) => p.probability),
        torchOutputs.slice(0, COMPARED_ROWS),
        'MLflow scoring',
      );
    } finally {
      await server.stop();
    }
    // The first 1,000 rows served make one monitoring window of the ONNX version, checked against the training data.
    const monitored = mlops(['monitor', 'python-sklearn-style/taxi-torch.pipeline.yaml', '--json'], ws.dir);
    assert.ok(monitored.status === 0 || monitored.status === 1, monitored.stderr);
    const [window] = (JSON.parse(monitored.stdout) as { windows: { window: { version: number; rows: number }; drift: { feature: string }[] }[] }).windows;
    assert.deepEqual([window.window.version, window.window.rows], [2, 1000]);
    assert.ok(window.drift.some((d) => d.feature === 'payment_type'));
  });

  it('swaps from the ONNX version to the tfjs one and back under load: no request fails', { timeout: 120_000 }, async () => {
    const server = await serve(ws.dir);
    const row = instance(evalCsv(1).rows[0], tfjsInputs);
    const failures: string[] = [];
    /** Per client, the versions that answered it, in order. */
    const answers: string[][] = [[], [], [], []];
    const waiting: { version: string; resolve: () => void }[] = [];
    const everyClientGot = (version: string) => answers.every((a) => a.at(-1) === version);
    let stop = false;
    const clients = answers.map(async (mine) => {
      while (!stop) {
        const r = await call(server.url, '/v1/models/taxi-torch:predict', { body: { instances: [row] } });
        if (r.status !== 200) failures.push(`${r.status} ${r.text}`);
        else mine.push(r.headers.get('x-model-version')!);
        for (const w of waiting.filter((w) => everyClientGot(w.version))) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
      }
    });
    try {
      for (const version of ['1', '2']) {
        const r = mlops(['rollback', 'taxi-torch', '--to', version], ws.dir);
        assert.equal(r.status, 0, r.stderr);
        await server.until((event) => event.event === 'swapped' && String(event.to) === version);
        await new Promise<void>((resolve) => waiting.push({ version, resolve }));
      }
    } finally {
      stop = true;
      await Promise.all(clients);
      await server.stop();
    }
    assert.deepEqual(failures, []);
    for (const a of answers) {
      const order = a.filter((v, i) => v !== a[i - 1]);
      assert.deepEqual(order, ['2', '1', '2'], 'each client saw the ONNX version, the tfjs one, then the ONNX one again');
    }
  });

  it("evaluates a logistic regression written with onnx.helper and declared as the step's output on UCI Adult, with fairness by sex and race", () => {
    const dir = tempDir('mlops-onnx-adult-');
    // Files, not data.split: the script fits on the training file alone, so the evaluation is on rows it never saw.
    const [header, ...lines] = readFileSync(path.join(SHARED_DATASETS, 'adult', 'adult.csv'), 'utf8')
      .trim()
      .split('\n');
    const train = path.join(dir, 'train.csv');
    const evalFile = path.join(dir, 'eval.csv');
    writeFileSync(train, [header, ...lines.slice(0, 26_000)].join('\n') + '\n');
    writeFileSync(evalFile, [header, ...lines.slice(26_000)].join('\n') + '\n');
    writeFileSync(
      path.join(dir, 'adult.pipeline.yaml'),
      `pipeline: adult-onnx
seed: 7
data:
  train: ${train}
  eval: ${evalFile}
  missing: ["?"]
features:
  derive:
    high_income: 'income == ">50K"'
label: high_income
environments:
  serving: { exclude: [income, high_income] }
train:
  step: fit
evaluate:
  slices: [sex]
  fairness:
    sensitive: [sex, race]
  thresholds:
    auc: { lower: 0.75 }
steps:
  - name: fit
    run: ${python} ${path.join(FIXTURES, 'adult_logreg.py')}
    inputs: { data: ${train} }
    outputs: { model: { format: onnx, path: adult.onnx } }
`,
    );
    const r = mlops(['run', 'adult.pipeline.yaml'], dir);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /age ← age; education_num ← education_num/, 'the inputs are bound to the columns they are named after');
    assert.match(r.stdout, /fairness on sex, race · blessed/);
    const run = mlopsJson<RunShow>(['runs', 'show', '1'], dir);
    const evaluation = run.artifacts.find((a) => a.type === 'ModelEvaluation')!;
    const report = JSON.parse(readFileSync(path.join(evaluation.uri, 'evaluation.json'), 'utf8')) as {
      fairness: { name: string; groups: { group: string; rates: { selection_rate: number } }[] }[];
    };
    assert.deepEqual(
      report.fairness.map((f) => f.name),
      ['sex', 'race'],
    );
    const sex = report.fairness[0].groups.map((g) => g.group).sort();
    assert.deepEqual(sex, ['Female', 'Male']);
    const rates = report.fairness[0].groups.map((g) => g.rates.selection_rate);
    assert.ok(rates.every((rate) => rate > 0 && rate < 1));
  });

  it('refuses an ONNX file that does not load and a model whose inputs match no column, naming the step', () => {
    const dir = tempDir('mlops-onnx-bad-');
    const pipeline = (script: string) => `pipeline: bad-onnx
data:
  train: ${path.join(TAXI, 'train.csv')}
  eval: ${path.join(TAXI, 'eval.csv')}
features:
  derive:
    big_tipper: "tips > 0.2 * fare"
label: big_tipper
train:
  step: fit
evaluate: {}
steps:
  - name: fit
    run: ${python} ${script}
`;
    writeFileSync(path.join(dir, 'garbage.py'), 'import mlops\nopen("model.onnx", "wb").write(b"not a model")\nmlops.log_model("model.onnx")\n');
    writeFileSync(path.join(dir, 'garbage.pipeline.yaml'), pipeline('garbage.py'));
    const garbage = mlops(['run', 'garbage.pipeline.yaml'], dir);
    assert.equal(garbage.status, 2);
    assert.match(garbage.stdout, /✗ fit failed/);
    assert.match(garbage.stdout, /model\.onnx: error: the ONNX model does not load: .*protobuf parsing failed/);
    assert.doesNotMatch(garbage.stdout + garbage.stderr, /\n\s+at /, 'no stack trace');

    writeFileSync(
      path.join(dir, 'unbound.py'),
      `import onnx, mlops
from onnx import helper, TensorProto
graph = helper.make_graph([helper.make_node("Sigmoid", ["input.1"], ["p"])], "g",
    [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, ["batch", 1])],
    [helper.make_tensor_value_info("p", TensorProto.FLOAT, ["batch", 1])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.save(model, "model.onnx")
mlops.log_model("model.onnx")
`,
    );
    writeFileSync(path.join(dir, 'unbound.pipeline.yaml'), pipeline('unbound.py'));
    const unbound = mlops(['run', 'unbound.pipeline.yaml'], dir);
    assert.equal(unbound.status, 2);
    assert.match(unbound.stdout, /unbound\.pipeline\.yaml:\d+:\d+: error: the ONNX model's input 'input\.1' matches no data column/);
    assert.match(unbound.stdout, /signature=\{"inputs": \{"input\.1": \["col1", "col2"\]\}\}/);
    assert.match(unbound.stdout, /the columns a model may read: .*trip_miles/);
  });
});

function assertClose(actual: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  let worst = 0;
  let at = -1;
  actual.forEach((value, i) => {
    const d = Math.abs(value - expected[i]);
    if (!(d <= worst)) [worst, at] = [d, i];
  });
  assert.ok(worst <= 1e-6, `${what}: row ${at} differs by ${worst} (${actual[at]} vs ${expected[at]})`);
}

interface ServeEventLine {
  event: string;
  url?: string;
  to?: number;
}

/** `mlops serve --model taxi-torch --json` in the workspace, with a way to wait for its events. */
async function serve(workspace: string) {
  const child = mlopsAsync(['serve', '--model', 'taxi-torch', '--port', '0', '--json'], workspace);
  const events: ServeEventLine[] = [];
  const waiters: { test: (e: ServeEventLine) => boolean; resolve: () => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const event = JSON.parse(line) as ServeEventLine;
    events.push(event);
    for (const w of waiters.filter((w) => w.test(event))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const until = (test: (e: ServeEventLine) => boolean) =>
    events.some(test)
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          waiters.push({ test, resolve });
          void exited.then(() => reject(new Error(`mlops serve exited: ${stderr}`)));
        });
  await until((e) => e.event === 'ready');
  const url = events.find((e) => e.event === 'ready')!.url!;
  after(() => child.kill('SIGKILL'));
  return {
    url,
    until,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ColumnType } from '../../../src/core/data/cells';
import { bindGraph, type GraphValue } from '../../../src/core/model/onnx/binding';
import { writeOnnxPackage } from '../../../src/core/model/onnx/package';
import { loadModel } from '../../../src/core/model/package';
import { ModelFault } from '../../../src/core/model/predictions';
import { scoreChunk } from '../../../src/core/scoring/score';
import { TRANSFORM_FORMAT, TRANSFORM_VERSION, type FittedTransform } from '../../../src/core/transform/types';
import { isUserError } from '../../../src/core/util/problems';
import { pythonWith } from '../../helpers/python';
import { tempDir } from '../../helpers/tmp';

const WHERE = { file: '/ws/p.pipeline.yaml', line: 12, column: 5 };
const COLUMNS = new Map<string, ColumnType>([
  ['fare', 'float'],
  ['trips', 'int'],
  ['payment_type', 'string'],
]);
const tensor = (name: string, type: string, shape: (number | string)[]): GraphValue => ({ name, isTensor: true, type, shape });
const probability = tensor('probability', 'float32', ['batch', 1]);

/** The UserError message `f` throws. */
function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return e.message;
    throw e;
  }
  assert.fail('expected a UserError');
}

describe('binding an ONNX graph to raw columns', () => {
  it('binds inputs named like columns, and the inputs a signature maps, side by side in its order', () => {
    const byName = bindGraph(
      { inputs: [tensor('fare', 'float32', ['batch', 1]), tensor('trips', 'int64', ['batch'])], outputs: [probability] },
      COLUMNS,
      undefined,
      WHERE,
    );
    assert.deepEqual(byName, {
      inputs: [
        { name: 'fare', type: 'float32', columns: ['fare'], rank: 2 },
        { name: 'trips', type: 'int64', columns: ['trips'], rank: 1 },
      ],
      output: 'probability',
    });
    const mapped = bindGraph({ inputs: [tensor('x', 'float64', ['batch', 2])], outputs: [probability] }, COLUMNS, { inputs: { x: ['trips', 'fare'] } }, WHERE);
    assert.deepEqual(mapped.inputs, [{ name: 'x', type: 'float64', columns: ['trips', 'fare'], rank: 2 }]);
  });

  it('reads the first float output (skl2onnx puts an int64 label first), or the one the signature names', () => {
    const outputs = [tensor('label', 'int64', ['batch']), tensor('probabilities', 'float32', ['batch', 2]), tensor('raw', 'float32', ['batch', 1])];
    const graph = { inputs: [tensor('fare', 'float32', ['batch', 1])], outputs };
    assert.equal(bindGraph(graph, COLUMNS, undefined, WHERE).output, 'probabilities');
    assert.equal(bindGraph(graph, COLUMNS, { output: 'raw' }, WHERE).output, 'raw');
    assert.match(
      refusal(() => bindGraph(graph, COLUMNS, { output: 'label' }, WHERE)),
      /the ONNX output 'label' is not a float tensor/,
    );
    assert.match(
      refusal(() => bindGraph(graph, COLUMNS, { output: 'nope' }, WHERE)),
      /output 'nope' is not an output of the ONNX model.*\n.*its outputs: label, probabilities, raw/,
    );
  });

  it('refuses what cannot work, at the step, with the fix', () => {
    const one = (input: GraphValue, signature?: unknown) => () => bindGraph({ inputs: [input], outputs: [probability] }, COLUMNS, signature, WHERE);
    assert.match(
      refusal(one(tensor('input.1', 'float32', ['batch', 3]))),
      /^\/ws\/p\.pipeline\.yaml:12:5: error: the ONNX model's input 'input\.1' matches no data column\n.*signature=/,
    );
    assert.match(refusal(one(tensor('x', 'float32', ['batch', 1]), { inputs: { x: 'distance' } })), /takes column 'distance', which is not a model input/);
    assert.match(
      refusal(one(tensor('x', 'float32', ['batch', 2]), { inputs: { x: ['fare', 'payment_type'] } })),
      /column 'payment_type' holds text, but the ONNX input 'x' takes float32/,
    );
    assert.match(
      refusal(one(tensor('x', 'float32', ['batch', 3]), { inputs: { x: ['fare', 'trips'] } })),
      /input 'x' has shape \[batch, 3\], but 2 columns feed it/,
    );
    assert.match(
      refusal(one(tensor('fare', 'float16', ['batch', 1]))),
      /is a float16 tensor; raw columns can feed float32, float64, int64, int32, bool, string/,
    );
    assert.match(refusal(one(tensor('fare', 'float32', ['batch', 1]), { inputs: { y: 'fare' } })), /names input 'y', which the ONNX model does not have/);
    assert.match(refusal(one(tensor('fare', 'float32', ['batch', 1]), { input: { fare: 'fare' } })), /unknown key "input" \(it takes "inputs" and "output"\)/);
    assert.match(refusal(one(tensor('fare', 'float32', ['batch', 1]), { inputs: { fare: [] } })), /"inputs"\."fare" must be a column name or a non-empty list/);
    assert.match(refusal(one(tensor('fare', 'float32', [2, 1]))), /input 'fare' takes batches of exactly 2 rows\n.*dynamic_axes/);
    assert.match(
      refusal(one(tensor('x', 'float32', ['batch', 1]), { inputs: { x: 'tips' } })),
      /takes column 'tips', which is not a model input: .*environments\.serving\.exclude/,
    );
  });

  it('feeds an input whose shape the graph leaves open as [batch, columns]', () => {
    const open = bindGraph(
      { inputs: [{ name: 'x', isTensor: true, type: 'float32', shape: [] }], outputs: [probability] },
      COLUMNS,
      { inputs: { x: ['fare', 'trips'] } },
      WHERE,
    );
    assert.deepEqual(open.inputs, [{ name: 'x', type: 'float32', columns: ['fare', 'trips'], rank: 2 }]);
  });
});

const { python, skip } = pythonWith(['onnx']);

/**
 * A graph with a number, an integer and a text input (the text mapped to a number inside the graph
 * by ai.onnx.ml's LabelEncoder), built with onnx.helper: p = sigmoid(fare/10 + trips - [cash]).
 */
const GRAPH = `
import sys, onnx
from onnx import helper, TensorProto
nodes = [
    helper.make_node("Cast", ["trips"], ["trips_f"], to=TensorProto.FLOAT),
    helper.make_node("LabelEncoder", ["payment_type"], ["cash"], domain="ai.onnx.ml",
                     keys_strings=["Cash"], values_floats=[1.0], default_float=0.0),
    helper.make_node("Div", ["fare", "ten"], ["fare_10"]),
    helper.make_node("Add", ["fare_10", "trips_f"], ["s"]),
    helper.make_node("Sub", ["s", "cash"], ["logit"]),
    helper.make_node("Sigmoid", ["logit"], ["probability"]),
]
graph = helper.make_graph(nodes, "g",
    [helper.make_tensor_value_info("fare", TensorProto.FLOAT, ["batch", 1]),
     helper.make_tensor_value_info("trips", TensorProto.INT64, ["batch", 1]),
     helper.make_tensor_value_info("payment_type", TensorProto.STRING, ["batch", 1])],
    [helper.make_tensor_value_info("probability", TensorProto.FLOAT, ["batch", 1])],
    [helper.make_tensor("ten", TensorProto.FLOAT, [1], [10.0])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("ai.onnx.ml", 2)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
`;

/** One input, `fare`; outputs `both` = [1 - sigmoid(fare), sigmoid(fare)] and `logit` = fare itself. */
const TWO_OUTPUTS = `
import sys, onnx
from onnx import helper, TensorProto
nodes = [
    helper.make_node("Sigmoid", ["fare"], ["p"]),
    helper.make_node("Sub", ["one", "p"], ["q"]),
    helper.make_node("Concat", ["q", "p"], ["both"], axis=1),
    helper.make_node("Identity", ["fare"], ["logit"]),
]
graph = helper.make_graph(nodes, "g",
    [helper.make_tensor_value_info("fare", TensorProto.FLOAT, ["batch", 1])],
    [helper.make_tensor_value_info("both", TensorProto.FLOAT, ["batch", 2]),
     helper.make_tensor_value_info("logit", TensorProto.FLOAT, ["batch", 1])],
    [helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.save(model, sys.argv[1])
`;

const transform: FittedTransform = {
  format: TRANSFORM_FORMAT,
  version: TRANSFORM_VERSION,
  inputs: [
    { name: 'fare', type: 'float', required: false },
    { name: 'trips', type: 'int', required: false },
    { name: 'payment_type', type: 'string', required: false },
    { name: 'company', type: 'string', required: false },
  ],
  features: [],
  label: { task: 'binary', column: 'tipped', negative: 'false', positive: 'true', type: 'bool' },
  layout: { numeric: [], categorical: [] },
  fittedOn: { split: 'train', rows: 100 },
};

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

describe('an ONNX model package', { skip }, () => {
  const dir = tempDir('mlops-onnx-');
  const file = path.join(dir, 'model.onnx');

  it('predicts from raw rows like the graph: numbers, integers and text parsed as ingest does; labels encoded as the pipeline does', async () => {
    const built = spawnSync(python!, ['-c', GRAPH, file], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const manifest = await writeOnnxPackage({ file, transform, dir: path.join(dir, 'package'), where: WHERE });
    assert.equal(manifest.flavor, 'onnx');
    assert.equal(manifest.task, 'binary');
    assert.deepEqual(
      manifest.signature.inputs.map((i) => i.name),
      ['fare', 'trips', 'payment_type', 'company'],
      'a request may carry every raw column',
    );
    const model = await loadModel(path.join(dir, 'package'));
    try {
      assert.deepEqual(
        model.transform.inputs.map((i) => i.name),
        ['fare', 'trips', 'payment_type'],
        'the model reads the bound ones',
      );
      const { predictions, labels } = await model.predictLabelled([
        { fare: 12.5, trips: 1, payment_type: 'Cash', tipped: true },
        { fare: '30', trips: '2', payment_type: 'Credit Card', tipped: 'false', company: 'ignored' },
        { fare: 5, trips: 0, tipped: null },
      ]);
      const expected = [sigmoid(1.25 + 1 - 1), sigmoid(3 + 2), sigmoid(0.5)];
      predictions.forEach((p, i) => assert.ok(Math.abs(p.score - expected[i]) < 1e-6, `row ${i}: ${p.score} vs ${expected[i]}`));
      assert.deepEqual(
        predictions.map((p) => p.label),
        ['true', 'true', 'true'],
      );
      assert.deepEqual(Array.from(labels), [1, 0, NaN]);
    } finally {
      model.dispose();
    }
  });

  it('refuses a row whose integer input is missing, or which the graph turns into NaN, saying why, and scores the others', async () => {
    const model = await loadModel(path.join(dir, 'package'));
    try {
      const outcomes = await scoreChunk(model, [
        { fare: 10, trips: 1, payment_type: 'Cash', tipped: true },
        { fare: 10, payment_type: 'Cash', tipped: true },
        { fare: '', trips: 1, payment_type: 'Cash', tipped: true },
      ]);
      assert.equal(outcomes[0].error, undefined);
      assert.equal(outcomes[1].error, "column 'trips' is missing, but the ONNX input 'trips' takes int64, which has no missing value");
      assert.equal(outcomes[2].error, "the ONNX output 'probability' is NaN for this row");
    } finally {
      model.dispose();
    }
  });

  it('reads a width-2 binary output as (P(negative), P(positive)), and refuses a model whose output is not a probability', async () => {
    const twoFile = path.join(dir, 'two.onnx');
    const built = spawnSync(python!, ['-c', TWO_OUTPUTS, twoFile], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    await writeOnnxPackage({ file: twoFile, transform, signature: { output: 'both' }, dir: path.join(dir, 'both'), where: WHERE });
    const both = await loadModel(path.join(dir, 'both'));
    try {
      const [p] = await both.predict([{ fare: 2 }]);
      assert.ok(Math.abs(p.score - sigmoid(2)) < 1e-6, `${p.score}`);
    } finally {
      both.dispose();
    }
    await writeOnnxPackage({ file: twoFile, transform, signature: { output: 'logit' }, dir: path.join(dir, 'logit'), where: WHERE });
    const logit = await loadModel(path.join(dir, 'logit'));
    try {
      // Not row by row: the rows whose raw score happens to fall in [0, 1] must not be scored alone.
      await assert.rejects(
        scoreChunk(logit, [{ fare: 0.5 }, { fare: 3 }]),
        (e: Error) => e instanceof ModelFault && /the ONNX output 'logit' gave 3, which is not a probability\n.*sigmoid/.test(e.message),
      );
    } finally {
      logit.dispose();
    }
  });

  it('says what is wrong with a file that is not a model, and with an output that is not a probability', async () => {
    const bad = path.join(dir, 'bad.onnx');
    writeFileSync(bad, 'not a model');
    await assert.rejects(writeOnnxPackage({ file: bad, transform, dir: path.join(dir, 'bad'), where: WHERE }), (e: Error) => {
      assert.match(e.message, /bad\.onnx: error: the ONNX model does not load: .*\n {2}hint: export it again/);
      return true;
    });
    await assert.rejects(
      writeOnnxPackage({ file: path.join(dir, 'missing.onnx'), transform, dir: path.join(dir, 'missing'), where: WHERE }),
      /p\.pipeline\.yaml:12:5: error: the ONNX model .*missing\.onnx is not there/,
    );
    const multiclass = { ...transform, label: { task: 'multiclass' as const, column: 'kind', classes: ['a', 'b', 'c'] } };
    await assert.rejects(
      writeOnnxPackage({ file, transform: multiclass, dir: path.join(dir, 'multi'), where: WHERE }),
      /the ONNX output 'probability' gives 1 values per row; a multiclass model's output is one probability per class \(3: a, b, c\)/,
    );
  });
});

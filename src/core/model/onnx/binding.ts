import type { ColumnType } from '../../data/cells';
import { UserError, type SourceLocation } from '../../util/problems';
import { ONNX_INPUT_TYPES, type OnnxBinding, type OnnxInputType } from '../types';

/** A graph input or output as onnxruntime describes it. */
export interface GraphValue {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: readonly (number | string)[];
}

/** What the user may give: graph input → column or columns, and which output to read. */
export interface UserSignature {
  inputs?: Record<string, string | string[]>;
  output?: string;
}

/**
 * Binds the graph's inputs to raw columns: by the user's signature when it names the input, else by
 * the input's own name when a column has it (what `torch.onnx.export(input_names=[...])` and
 * skl2onnx's per-column inputs produce). Everything that cannot work is refused here, when the step
 * logs the model, not when the first request arrives.
 */
export function bindGraph(
  graph: { inputs: readonly GraphValue[]; outputs: readonly GraphValue[] },
  columns: ReadonlyMap<string, ColumnType>,
  signature: unknown,
  where: SourceLocation,
): OnnxBinding {
  const user = checkSignature(signature, where);
  const known = [...columns.keys()];
  const listed = () => `the columns a model may read: ${known.join(', ')}`;
  for (const name of Object.keys(user.inputs ?? {})) {
    if (!graph.inputs.some((i) => i.name === name)) {
      throw UserError.at(
        `the signature names input '${name}', which the ONNX model does not have`,
        where,
        `its inputs: ${graph.inputs.map((i) => i.name).join(', ')}`,
      );
    }
  }
  const inputs = graph.inputs.map((input) => {
    const given = user.inputs?.[input.name];
    const bound = given === undefined ? (columns.has(input.name) ? [input.name] : undefined) : typeof given === 'string' ? [given] : given;
    if (!bound) {
      throw UserError.at(
        `the ONNX model's input '${input.name}' matches no data column`,
        where,
        `name the columns it takes: log_model(..., signature={"inputs": {"${input.name}": ["col1", "col2"]}}); ${listed()}`,
      );
    }
    const type = inputType(input, where);
    for (const column of bound) {
      const columnType = columns.get(column);
      if (columnType === undefined) {
        throw UserError.at(
          `the ONNX input '${input.name}' takes column '${column}', which is not a model input: not in the data, the label, or left out at serving (environments.serving.exclude)`,
          where,
          listed(),
        );
      }
      if (columnType === 'string' && type !== 'string') {
        throw UserError.at(
          `column '${column}' holds text, but the ONNX input '${input.name}' takes ${type}`,
          where,
          'encode the text inside the graph (a string input), or leave the column out',
        );
      }
    }
    // onnxruntime gives [] for an input whose shape the graph leaves open: fed as [batch, n].
    const shape = input.shape?.length ? input.shape : ['batch', bound.length];
    if (typeof shape[0] === 'number' && shape[0] !== -1) {
      throw UserError.at(
        `the ONNX input '${input.name}' takes batches of exactly ${shape[0]} rows`,
        where,
        'export with a dynamic batch dimension: torch.onnx.export(..., dynamic_axes={"<input>": {0: "batch"}, "<output>": {0: "batch"}}), or mlops.log_torch_model(...)',
      );
    }
    const width = shape.length >= 2 ? shape[shape.length - 1] : 1;
    if (shape.length > 2 || (typeof width === 'number' && width !== -1 && width !== bound.length)) {
      throw UserError.at(
        `the ONNX input '${input.name}' has shape [${shape.join(', ')}], but ${bound.length} column${bound.length === 1 ? '' : 's'} feed it (${bound.join(', ')})`,
        where,
        'an input takes one row per example: [batch] for one column, [batch, n] for n columns',
      );
    }
    return { name: input.name, type, columns: bound, rank: Math.max(shape.length, 1) };
  });
  return { inputs, output: pickOutput(graph.outputs, user.output, where) };
}

function checkSignature(signature: unknown, where: SourceLocation): UserSignature {
  if (signature === undefined || signature === null) return {};
  const bad = (what: string) =>
    UserError.at(`the model's signature: ${what}`, where, 'e.g. {"inputs": {"features": ["trip_miles", "fare"]}, "output": "probability"}');
  if (typeof signature !== 'object' || Array.isArray(signature)) throw bad('it must be an object');
  const { inputs, output, ...rest } = signature as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length)
    throw bad(`unknown key${unknownKeys.length === 1 ? '' : 's'} ${unknownKeys.map((k) => `"${k}"`).join(', ')} (it takes "inputs" and "output")`);
  if (output !== undefined && typeof output !== 'string') throw bad('"output" must be the name of a graph output');
  if (inputs === undefined) return { output };
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) throw bad('"inputs" must map graph inputs to columns');
  for (const [name, columns] of Object.entries(inputs)) {
    const ok = typeof columns === 'string' || (Array.isArray(columns) && columns.length > 0 && columns.every((c) => typeof c === 'string'));
    if (!ok) throw bad(`"inputs"."${name}" must be a column name or a non-empty list of them`);
  }
  return { inputs: inputs as Record<string, string | string[]>, output };
}

function inputType(input: GraphValue, where: SourceLocation): OnnxInputType {
  if (input.isTensor && ONNX_INPUT_TYPES.includes(input.type as OnnxInputType)) return input.type as OnnxInputType;
  throw UserError.at(
    `the ONNX input '${input.name}' is ${input.isTensor ? `a ${input.type} tensor` : 'not a tensor'}; raw columns can feed ${ONNX_INPUT_TYPES.join(', ')} tensors`,
    where,
  );
}

/** The output named, else the first float tensor (classifiers converted by skl2onnx put the label first). */
function pickOutput(outputs: readonly GraphValue[], named: string | undefined, where: SourceLocation): string {
  const isFloat = (o: GraphValue) => o.isTensor && (o.type === 'float32' || o.type === 'float64');
  const names = outputs.map((o) => o.name).join(', ');
  if (named !== undefined) {
    const output = outputs.find((o) => o.name === named);
    if (!output) throw UserError.at(`the signature's output '${named}' is not an output of the ONNX model`, where, `its outputs: ${names}`);
    if (!isFloat(output)) throw UserError.at(`the ONNX output '${named}' is not a float tensor: predictions are read from one`, where, `its outputs: ${names}`);
    return named;
  }
  const output = outputs.find(isFloat);
  if (!output) throw UserError.at('the ONNX model has no float tensor output to read predictions from', where, `its outputs: ${names}`);
  return output.name;
}

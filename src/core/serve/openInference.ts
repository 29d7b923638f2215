import type { LoadedModel, ModelSignature } from '../model/types';
import type { RawRow } from '../transform/types';
import { HttpError } from './http';
import { bodyObject, checkRowCount, describe, rowsFromColumns, unknownFeature, type InputSchema } from './inputs';
import { outputTensorsMetadata, type V2Tensor } from './outputs';

/**
 * The Open Inference Protocol (v2: KServe, Triton, MLServer): one named input tensor per raw
 * feature, `[rows]` or `[rows, 1]`, in a datatype that fits the feature's type; BYTES is text,
 * parsed as a CSV cell would be.
 */

const INTEGER = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64']);
const FLOAT = new Set(['FP16', 'FP32', 'FP64']);

type FeatureType = ModelSignature['inputs'][number]['type'];

/** Datatypes each feature type accepts (numbers for string features too: ids are often numeric). */
function fits(type: FeatureType, datatype: string): boolean {
  if (datatype === 'BYTES') return true;
  if (type === 'bool') return datatype === 'BOOL';
  return INTEGER.has(datatype) || FLOAT.has(datatype);
}

const DATATYPE: Record<FeatureType, string> = { int: 'INT64', float: 'FP64', bool: 'BOOL', string: 'BYTES' };

export interface InferRequest {
  /** The request's own id, echoed in the response. */
  id?: string;
  rows: RawRow[];
  /** Output tensors asked for by name; undefined: all. */
  outputs?: string[];
}

export function inferRequest(body: unknown, schema: InputSchema, maxRows: number): InferRequest {
  const o = bodyObject(body, '{"inputs": [{"name": "fare", "shape": [1], "datatype": "FP64", "data": [12.5]}, ...]}');
  if (o.id !== undefined && typeof o.id !== 'string') throw new HttpError(400, `"id" should be a string, got ${describe(o.id)}`);
  if (!Array.isArray(o.inputs) || o.inputs.length === 0) {
    throw new HttpError(
      400,
      `"inputs" should be a non-empty list of tensors {"name", "shape", "datatype", "data"}, one per feature; got ${describe(o.inputs)}`,
    );
  }
  const columns = new Map<string, unknown[]>();
  let rows = -1;
  o.inputs.forEach((tensor, t) => {
    const where = `inputs[${t}]`;
    const { name, values } = inputTensor(tensor, where, schema);
    if (columns.has(name)) throw new HttpError(400, `${where}: feature '${name}' is given twice`);
    if (rows >= 0 && values.length !== rows) {
      throw new HttpError(
        400,
        `${where} ('${name}') has ${values.length} rows but ${[...columns.keys()][0]} has ${rows}: every tensor needs one value per row`,
      );
    }
    rows = values.length;
    columns.set(name, values);
  });
  checkRowCount(rows, maxRows, 'inputs');
  const result: InferRequest = { rows: rowsFromColumns(schema, columns, rows, 'inputs', (name, i) => `inputs '${name}' [${i}]`) };
  if (o.id !== undefined) result.id = o.id;
  if (o.outputs !== undefined) result.outputs = requestedOutputs(o.outputs);
  return result;
}

function inputTensor(tensor: unknown, where: string, schema: InputSchema): { name: string; values: unknown[] } {
  const t = bodyObject(tensor, '{"name", "shape", "datatype", "data"}') as { name?: unknown; shape?: unknown; datatype?: unknown; data?: unknown };
  if (typeof t.name !== 'string') throw new HttpError(400, `${where}.name should be a feature name, got ${describe(t.name)}`);
  const type = schema.types.get(t.name);
  if (type === undefined) throw unknownFeature(schema, t.name, where);
  if (typeof t.datatype !== 'string')
    throw new HttpError(400, `${where} ('${t.name}'): datatype should be a string such as FP64, INT64, BOOL or BYTES, got ${describe(t.datatype)}`);
  if (!fits(type, t.datatype)) {
    throw new HttpError(
      400,
      `${where} ('${t.name}'): datatype ${t.datatype} does not fit a ${type} feature; use ${DATATYPE[type]}${type === 'bool' ? '' : ' or BYTES'}`,
    );
  }
  const shape = t.shape;
  if (
    !Array.isArray(shape) ||
    shape.length === 0 ||
    shape.length > 2 ||
    !shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
    (shape.length === 2 && shape[1] !== 1)
  ) {
    throw new HttpError(400, `${where} ('${t.name}'): shape should be [rows] or [rows, 1] (one value per row), got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(t.data)) throw new HttpError(400, `${where} ('${t.name}'): data should be a list of values, got ${describe(t.data)}`);
  const values = t.data.flat(2) as unknown[];
  if (values.length !== shape[0])
    throw new HttpError(400, `${where} ('${t.name}'): shape ${JSON.stringify(shape)} holds ${shape[0]} values but data has ${values.length}`);
  values.forEach((v, i) => checkElement(t.datatype as string, v, `${where} ('${t.name}') [${i}]`));
  return { name: t.name, values };
}

function checkElement(datatype: string, v: unknown, field: string): void {
  if (v === null) return;
  const ok =
    datatype === 'BYTES'
      ? typeof v === 'string'
      : datatype === 'BOOL'
        ? typeof v === 'boolean'
        : INTEGER.has(datatype)
          ? Number.isInteger(v)
          : typeof v === 'number';
  if (!ok) throw new HttpError(400, `${field}: ${describe(v)} is not a ${datatype} value`);
}

function requestedOutputs(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((o) => typeof o === 'object' && o !== null && typeof (o as { name?: unknown }).name === 'string')) {
    throw new HttpError(400, `"outputs" should be a list of {"name": ...}, got ${describe(value)}`);
  }
  return value.map((o) => (o as { name: string }).name);
}

/** Only the output tensors asked for, in the order asked; an unknown name is a 400. */
export function selectOutputs(tensors: V2Tensor[], names: readonly string[] | undefined): V2Tensor[] {
  if (!names) return tensors;
  return names.map((name) => {
    const found = tensors.find((t) => t.name === name);
    if (!found) throw new HttpError(400, `there is no output '${name}'; the outputs are ${tensors.map((t) => t.name).join(', ')}`);
    return found;
  });
}

export function modelMetadata(name: string, versions: readonly number[], model: LoadedModel): unknown {
  return {
    name,
    versions: versions.map(String),
    platform: 'mlops-tfjs',
    inputs: model.manifest.signature.inputs.map((i) => ({ name: i.name, datatype: DATATYPE[i.type], shape: [-1] })),
    outputs: outputTensorsMetadata(model.manifest),
  };
}

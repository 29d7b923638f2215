import type { LoadedModel, ModelSignature } from '../model/types';
import type { RawRow } from '../transform/types';
import { HttpError } from './http';
import { bodyObject, checkRow, checkRowCount, columnsOf, describe, rowsFromColumns, type InputSchema } from './inputs';
import type { VersionStatus } from './versions';

/**
 * TensorFlow Serving's REST API: `instances` (row objects) → `predictions`, columnar `inputs` →
 * `outputs`, model status and metadata in its shapes.
 */

export interface PredictRequest {
  rows: RawRow[];
  /** Columnar request: answer with columnar `outputs`. */
  columnar: boolean;
}

export function tfServingRequest(body: unknown, schema: InputSchema, maxRows: number): PredictRequest {
  const o = bodyObject(body, '{"instances": [{"feature": value, ...}]}');
  const { instances, inputs } = o;
  for (const key of Object.keys(o)) {
    if (key !== 'instances' && key !== 'inputs' && key !== 'signature_name') {
      throw new HttpError(400, `unexpected key '${key}': a predict request has "instances" (a list of row objects) or "inputs" (an object of columns)`);
    }
  }
  if ((instances === undefined) === (inputs === undefined)) {
    throw new HttpError(400, 'a predict request has exactly one of "instances" (a list of row objects) or "inputs" (an object of feature → list of values)');
  }
  if (instances !== undefined) return { rows: instanceRows(instances, 'instances', schema, maxRows), columnar: false };
  return { rows: columnRows(inputs, 'inputs', schema, maxRows), columnar: true };
}

/** A list of row objects, each checked against the signature. */
export function instanceRows(value: unknown, where: string, schema: InputSchema, maxRows: number): RawRow[] {
  if (!Array.isArray(value)) throw new HttpError(400, `"${where}" should be a list of row objects, got ${describe(value)}`);
  checkRowCount(value.length, maxRows, where);
  return value.map((row, i) => checkRow(schema, row, `${where}[${i}]`));
}

/** An object of feature → list of values. */
export function columnRows(value: unknown, where: string, schema: InputSchema, maxRows: number): RawRow[] {
  const { columns, rows } = columnsOf(value, where);
  checkRowCount(rows, maxRows, where);
  return rowsFromColumns(schema, columns, rows, where, (name, i) => `${where}.${name}[${i}]`);
}

export function tfServingStatus(statuses: readonly VersionStatus[]): unknown {
  return {
    model_version_status: statuses.map((s) => ({
      version: String(s.version),
      state: s.state,
      status: s.error === undefined ? { error_code: 'OK', error_message: '' } : { error_code: 'UNKNOWN', error_message: s.error },
    })),
  };
}

const DTYPES: Record<ModelSignature['inputs'][number]['type'], string> = { int: 'DT_INT64', float: 'DT_DOUBLE', bool: 'DT_BOOL', string: 'DT_STRING' };

function tensorInfo(name: string, dtype: string, dims: number[]): unknown {
  return { dtype, tensor_shape: { dim: dims.map((size) => ({ size: String(size), name: '' })), unknown_rank: false }, name };
}

/** `GET .../metadata`: the signature as TF Serving's `signature_def`, plus the package's own signature under `mlops`. */
export function tfServingMetadata(name: string, version: number, model: LoadedModel): unknown {
  const { signature, task, modelType, weightsHash } = model.manifest;
  const inputs = Object.fromEntries(signature.inputs.map((i) => [i.name, tensorInfo(i.name, DTYPES[i.type], [-1])]));
  const outputs = Object.fromEntries(signature.outputs.map((o) => [o.name, tensorInfo(o.name, 'DT_FLOAT', [-1, ...o.shape.filter((d) => d !== 1)])]));
  if (task !== 'regression') outputs.label = tensorInfo('label', 'DT_STRING', [-1]);
  return {
    model_spec: { name, signature_name: '', version: String(version) },
    metadata: {
      signature_def: { signature_def: { serving_default: { inputs, outputs, method_name: 'tensorflow/serving/predict' } } },
      mlops: { task, model_type: modelType, weights_hash: weightsHash, signature },
    },
  };
}

import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ColumnType } from '../../data/cells';
import { writeTransformGraph, TRANSFORM_GRAPH_FILE } from '../../transform/graph';
import type { FittedTransform } from '../../transform/types';
import { fileSystemProblem } from '../../util/fileErrors';
import { UserError, type SourceLocation } from '../../util/problems';
import { MANIFEST_FILE, signatureOf } from '../package';
import { MODEL_PACKAGE_FORMAT, MODEL_PACKAGE_VERSION, type ModelManifest, type OnnxBinding } from '../types';
import { bindGraph, type GraphValue } from './binding';
import { openSession } from './session';

export const ONNX_MODEL_FILE = 'model.onnx';

export interface OnnxPackageRequest {
  /** The `.onnx` file the step wrote. */
  file: string;
  /** The pipeline's fitted transform: the raw columns with their types, and the label's encoding. */
  transform: FittedTransform;
  /** What the user gave with the model (graph inputs → columns, output), if anything. */
  signature?: unknown;
  dir: string;
  /** Where a problem with the model points: the step that produced it. */
  where: SourceLocation;
}

/**
 * Makes a model package of an ONNX file: the file, the raw columns each graph input takes, and a
 * transform narrowed to those columns (no fitted features: the preprocessing is the graph's own) that
 * keeps the label's encoding, so evaluation, serving and monitoring read it like a trained package.
 */
export async function writeOnnxPackage(req: OnnxPackageRequest): Promise<ModelManifest> {
  const label = req.transform.label;
  if (!label) throw UserError.at("an ONNX model needs the pipeline's label to be evaluated", req.where, 'add label: <column>');
  const bytes = await fs.readFile(req.file).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'ENOENT' ? UserError.at(`the ONNX model ${req.file} is not there`, req.where) : (fileSystemProblem(e) ?? e);
  });
  const session = await openSession(bytes, req.file);
  try {
    const binding = bindGraph({ inputs: session.inputMetadata, outputs: session.outputMetadata }, columnTypes(req.transform), req.signature, req.where);
    checkOutput(session.outputMetadata.find((o) => o.name === binding.output) as GraphValue, label, req);
    const transform = narrowed(req.transform, binding);
    await fs.mkdir(req.dir, { recursive: true });
    await fs.writeFile(path.join(req.dir, ONNX_MODEL_FILE), bytes);
    await writeTransformGraph(req.dir, transform);
    const manifest: ModelManifest = {
      format: MODEL_PACKAGE_FORMAT,
      version: MODEL_PACKAGE_VERSION,
      flavor: 'onnx',
      task: label.task,
      modelType: 'onnx',
      backend: 'onnxruntime',
      // The same graph bound to other columns, or read with another label encoding, is another model.
      weightsHash: createHash('sha256').update(bytes).update(JSON.stringify({ binding, label })).digest('hex'),
      // A request may carry any raw column of the pipeline's data, as to a trained model of the same
      // pipeline, so clients keep working when a version swaps; the graph reads the columns bound to it.
      signature: signatureOf(req.transform, label.task),
      files: { model: ONNX_MODEL_FILE, transform: TRANSFORM_GRAPH_FILE },
      onnx: binding,
    };
    await fs.writeFile(path.join(req.dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  } finally {
    await session.release();
  }
}

/**
 * Columns a graph input may take: the transform's inputs, which hold the derived columns too (computed
 * for each request from its raw columns), and never the label or what `environments.serving` excludes.
 */
function columnTypes(transform: FittedTransform): Map<string, ColumnType> {
  return new Map(transform.inputs.map((i): [string, ColumnType] => [i.name, i.type]));
}

function narrowed(transform: FittedTransform, binding: OnnxBinding): FittedTransform {
  const types = columnTypes(transform);
  const columns = [...new Set(binding.inputs.flatMap((i) => i.columns))];
  return {
    ...transform,
    inputs: columns.map((name) => ({ name, type: types.get(name)!, required: false })),
    features: [],
    layout: { numeric: [], categorical: [] },
  };
}

/** The output must have a width the task can read: 1 (or 2 for a binary classifier), or one per class. */
function checkOutput(output: GraphValue, label: NonNullable<FittedTransform['label']>, req: OnnxPackageRequest): void {
  const shape = output.shape ?? [];
  const width = shape.length >= 2 ? shape[shape.length - 1] : 1;
  if (typeof width !== 'number') return;
  const expected = label.task === 'multiclass' ? [label.classes.length] : label.task === 'binary' ? [1, 2] : [1];
  if (!expected.includes(width)) {
    const reads =
      label.task === 'multiclass'
        ? `one probability per class (${label.classes.length}: ${label.classes.join(', ')})`
        : label.task === 'binary'
          ? `P(${label.column} = ${label.positive}), or the two class probabilities`
          : `the predicted ${label.column}`;
    throw UserError.at(`the ONNX output '${output.name}' gives ${width} values per row; a ${label.task} model's output is ${reads}`, req.where);
  }
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LayersModel, Tensor, io } from '@tensorflow/tfjs';
import type { TaskType } from '../pipeline/config';
import { loadTransformGraph, writeTransformGraph, TRANSFORM_GRAPH_FILE } from '../transform/graph';
import type { FittedTransform, RawRow } from '../transform/types';
import { transformRows } from '../transform/row';
import { UserError } from '../util/problems';
import { loadBackend, type BackendChoice, type Tf } from './backend';
import { requestColumns } from '../transform/derived';
import { batchInputs, inputPlan, type InputPlan } from './inputs';
import { ChunkedModel, type ChunkScores } from './chunkedModel';
import { classNames } from './setup';
import { loadOnnxModel } from './onnx/model';
import { MODEL_PACKAGE_FORMAT, MODEL_PACKAGE_VERSION } from './types';
import type { BackendName, LoadedModel, ModelManifest, ModelSignature } from './types';

/**
 * A model package is a folder: `model.json` + `weights.bin` (the tfjs LayersModel format, loadable
 * by any tfjs), `transform.json` (the fitted transform, which holds the label encoding) and
 * `mlops-model.json` (the manifest with the raw-input signature). Nothing in it depends on time or
 * machine, so the same training gives a byte-identical package.
 */
export const MANIFEST_FILE = 'mlops-model.json';
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface PackageInfo {
  transform: FittedTransform;
  task: TaskType;
  modelType: string;
  backend: BackendName;
  weightsHash: string;
}

export async function writeModelPackage(tf: Tf, model: LayersModel, dir: string, info: PackageInfo): Promise<ModelManifest> {
  await fs.mkdir(dir, { recursive: true });
  // Browser tfjs has no file:// handler: take the artifacts in memory and write the files here.
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const json: io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs! }],
      };
      await fs.writeFile(path.join(dir, WEIGHTS_FILE), weights);
      await fs.writeFile(path.join(dir, MODEL_FILE), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  await writeTransformGraph(dir, info.transform);
  const manifest: ModelManifest = {
    format: MODEL_PACKAGE_FORMAT,
    version: MODEL_PACKAGE_VERSION,
    task: info.task,
    modelType: info.modelType,
    backend: info.backend,
    weightsHash: info.weightsHash,
    signature: signatureOf(info.transform, info.task),
    files: { model: MODEL_FILE, transform: TRANSFORM_GRAPH_FILE },
  };
  await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** What a request carries and what comes back, from the transform's inputs and label. */
export function signatureOf(transform: FittedTransform, task: TaskType): ModelSignature {
  // Derived inputs are computed from raw columns at serving, so a request carries the raw ones.
  const inputs = requestColumns(transform).map((c) => ({ name: c.name, type: c.type ?? 'string', required: false }));
  const classes = transform.label ? classNames(transform.label) : [];
  switch (task) {
    case 'binary':
      return { inputs, outputs: [{ name: 'probability', shape: [1], description: `P(${transform.label?.column} = ${classes[1]})` }], classes };
    case 'multiclass':
      return { inputs, outputs: [{ name: 'probabilities', shape: [classes.length], description: 'probability of each class, in `classes` order' }], classes };
    case 'regression':
      return { inputs, outputs: [{ name: 'value', shape: [1], description: `predicted ${transform.label?.column ?? 'value'}` }] };
  }
}

/**
 * Loads a model package: the one loader evaluation, batch prediction and serving use. Missing or
 * damaged files are a UserError naming the file.
 */
export async function loadModel(dir: string, options: { backend?: BackendChoice } = {}): Promise<LoadedModel> {
  const { manifest, transform } = await readPackageDescription(dir);
  if (manifest.flavor === 'onnx') return loadOnnxModel(dir, manifest, transform);
  const { tf } = await loadBackend(options.backend ?? 'auto');
  const model = await readLayersModel(tf, dir, manifest.files.model);
  return new PackagedModel(tf, dir, manifest, transform, model);
}

/** A package's manifest and fitted transform, checked, without loading tfjs or the weights (monitoring reads only these). */
export async function readPackageDescription(dir: string): Promise<{ manifest: ModelManifest; transform: FittedTransform }> {
  const manifestFile = path.join(dir, MANIFEST_FILE);
  const manifest = parseJson<ModelManifest>(await readPackageFile(dir, MANIFEST_FILE, 'utf8'), manifestFile);
  if (manifest.format !== MODEL_PACKAGE_FORMAT) {
    throw UserError.at(`not a model package: format is ${JSON.stringify(manifest.format)}, expected "${MODEL_PACKAGE_FORMAT}"`, {
      file: manifestFile,
      field: 'format',
    });
  }
  if (manifest.version !== MODEL_PACKAGE_VERSION) {
    throw UserError.at(
      `model package version ${manifest.version} cannot be read by this version (it reads version ${MODEL_PACKAGE_VERSION})`,
      { file: manifestFile, field: 'version' },
      'train the model again with this version',
    );
  }
  return { manifest, transform: await loadTransformGraph(path.join(dir, manifest.files.transform)) };
}

async function readLayersModel(tf: Tf, dir: string, file: string): Promise<LayersModel> {
  const modelFile = path.join(dir, file);
  const json = parseJson<io.ModelJSON>(await readPackageFile(dir, file, 'utf8'), modelFile);
  try {
    const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const specs = manifest.flatMap((group) => group.weights);
      const buffers = await Promise.all(manifest.flatMap((group) => group.paths).map((p) => readPackageFile(dir, p)));
      const data = tf.io.CompositeArrayBuffer.join(buffers.map((b) => new Uint8Array(b).buffer));
      const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
      if (data.byteLength !== expected) {
        throw UserError.at(
          `the weights have ${data.byteLength} bytes, the model needs ${expected}`,
          { file: path.join(dir, WEIGHTS_FILE) },
          'train the model again',
        );
      }
      return [specs, data];
    });
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw UserError.at(`the model cannot be loaded: ${(e as Error).message}`, { file: modelFile }, 'train the model again');
  }
}

export async function readPackageFile(dir: string, file: string): Promise<Buffer>;
export async function readPackageFile(dir: string, file: string, encoding: 'utf8'): Promise<string>;
export async function readPackageFile(dir: string, file: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return await fs.readFile(path.join(dir, file), encoding);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw UserError.at(
        `the model package has no ${file}`,
        { file: path.join(dir, file) },
        'point at a folder the train component wrote, or train the model again',
      );
    }
    throw e;
  }
}

function parseJson<T>(text: string, file: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw UserError.at(`${path.basename(file)} is not valid JSON (${(e as Error).message})`, { file }, 'train the model again');
  }
}

class PackagedModel extends ChunkedModel {
  private readonly plan: InputPlan;

  constructor(
    private readonly tf: Tf,
    dir: string,
    manifest: ModelManifest,
    transform: FittedTransform,
    private readonly model: LayersModel,
  ) {
    super(dir, manifest, transform);
    this.plan = inputPlan(transform.layout);
  }

  protected score(rows: readonly RawRow[]): Promise<ChunkScores> {
    // The transform gives the model's inputs and the labels together: they come along at no cost.
    const batch = transformRows(this.transform, rows);
    // `apply` runs the layers directly: `predict`'s checks and 32-row loop cost as much again as the
    // forward pass on the server's small batches, and the values are the same bit for bit. The values
    // are read outside `tidy`, which would otherwise walk the returned array looking for tensors.
    const output = this.tf.tidy(() => this.model.apply(batchInputs(this.tf, this.plan, batch), { training: false }) as Tensor);
    const values = output.dataSync() as Float32Array;
    output.dispose();
    return Promise.resolve({ predictions: Array.from({ length: batch.size }, (_, r) => this.decode(values, r)), labels: batch.label });
  }

  dispose(): void {
    this.model.dispose();
  }
}

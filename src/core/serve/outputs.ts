import type { ModelManifest, Prediction } from '../model/types';

/**
 * What a served prediction looks like in each protocol. Numbers are the model's float32 outputs
 * as JSON numbers (the double holding the float32, printed shortest), the same value `mlops
 * predict` writes to its CSV. Each row carries its id, which the feedback endpoint takes back.
 */
type Manifest = Pick<ModelManifest, 'task' | 'signature'>;

/** `probability` (binary), `probabilities` (multi-class) or `value` (regression), as the signature names it. */
function outputName(manifest: Manifest): string {
  return manifest.signature.outputs[0]?.name ?? (manifest.task === 'multiclass' ? 'probabilities' : manifest.task === 'binary' ? 'probability' : 'value');
}

function outputValue(manifest: Manifest, p: Prediction): number | number[] {
  return manifest.task === 'multiclass' ? p.probabilities! : p.score;
}

/** One row object: `{"id", "probability", "label"}` and the like (TF Serving `instances`, MLflow). */
export function predictionRows(manifest: Manifest, predictions: readonly Prediction[], ids: readonly string[]): Record<string, unknown>[] {
  const name = outputName(manifest);
  const classifier = manifest.task !== 'regression';
  return predictions.map((p, i) => (classifier ? { id: ids[i], [name]: outputValue(manifest, p), label: p.label } : { id: ids[i], [name]: p.score }));
}

/** Columns of the same (TF Serving columnar `inputs` → `outputs`). */
export function predictionColumns(manifest: Manifest, predictions: readonly Prediction[], ids: readonly string[]): Record<string, unknown[]> {
  const columns: Record<string, unknown[]> = { id: [...ids], [outputName(manifest)]: predictions.map((p) => outputValue(manifest, p)) };
  if (manifest.task !== 'regression') columns.label = predictions.map((p) => p.label);
  return columns;
}

export interface V2Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

/** Open Inference Protocol output tensors: the scores (FP32, [n] or [n, classes]), labels and row ids (BYTES). */
export function predictionTensors(manifest: Manifest, predictions: readonly Prediction[], ids: readonly string[]): V2Tensor[] {
  const n = predictions.length;
  const name = outputName(manifest);
  const scores: V2Tensor =
    manifest.task === 'multiclass'
      ? { name, shape: [n, manifest.signature.classes?.length ?? 0], datatype: 'FP32', data: predictions.flatMap((p) => p.probabilities!) }
      : { name, shape: [n], datatype: 'FP32', data: predictions.map((p) => p.score) };
  const tensors = [scores];
  if (manifest.task !== 'regression') tensors.push({ name: 'label', shape: [n], datatype: 'BYTES', data: predictions.map((p) => p.label) });
  tensors.push({ name: 'id', shape: [n], datatype: 'BYTES', data: [...ids] });
  return tensors;
}

/** The output tensors' metadata, for `GET /v2/models/{name}`. */
export function outputTensorsMetadata(manifest: Manifest): { name: string; datatype: string; shape: number[] }[] {
  const name = outputName(manifest);
  const scores = { name, datatype: 'FP32', shape: manifest.task === 'multiclass' ? [-1, manifest.signature.classes?.length ?? 0] : [-1] };
  const label = manifest.task === 'regression' ? [] : [{ name: 'label', datatype: 'BYTES', shape: [-1] }];
  return [scores, ...label, { name: 'id', datatype: 'BYTES', shape: [-1] }];
}

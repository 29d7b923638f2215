import type { TrainConfig } from '../pipeline/config';
import type { MetricPoint } from '../store/types';
import type { FittedTransform, RawRow, TransformedSplit } from '../transform/types';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What `trainModel` needs; everything else (store, events) reaches it through the callbacks. */
export interface TrainRequest {
  config: TrainConfig;
  transform: FittedTransform;
  train: TransformedSplit;
  /** Validation data (the eval split): `val_*` metrics and early stopping use it. */
  validation?: TransformedSplit;
  /** Folder for per-epoch checkpoints; it survives a crash (it is not a temporary output folder). */
  checkpointDir: string;
  /** Continue from the last checkpoint in `checkpointDir` when there is one. */
  resume: boolean;
  /** Where the model package goes (created by trainModel). */
  outputDir: string;
  signal: AbortSignal;
  /** Called as soon as the backend is chosen, so the run records it. */
  onBackend(backend: BackendName): void;
  /** Live metrics: `loss`, `auc`, ... and `val_loss`, `val_auc`, ... per epoch (step = epoch, 1-based), `batch_loss` every N batches (step = global batch). */
  onMetrics(points: MetricPoint[]): void;
  progress(message: string, fraction?: number): void;
  log(line: string): void;
}

export interface TrainResult {
  backend: BackendName;
  /** Epochs actually run (early stopping may cut them short) and the epoch whose weights were kept. */
  epochs: number;
  bestEpoch: number;
  /** Final metrics of the kept weights, by Keras-style name (`loss`, `val_auc`, ...). */
  metrics: Record<string, number>;
  /** sha256 of the weights bytes: bit-identical weights ⇔ equal hash. */
  weightsHash: string;
  examplesPerSecond: number;
  stoppedEarly: boolean;
  resumedFromEpoch?: number;
}

/** The manifest of a model package (`mlops-model.json`); deterministic, no timestamps. */
export const MODEL_PACKAGE_FORMAT = 'mlops-model';
export const MODEL_PACKAGE_VERSION = 1;

export interface ModelManifest {
  format: typeof MODEL_PACKAGE_FORMAT;
  version: number;
  task: 'binary' | 'multiclass' | 'regression';
  modelType: string;
  /** What trained the model (tfjs backends), or `onnxruntime` for an ONNX model from a step. */
  backend: BackendName | 'onnxruntime';
  /** sha256 of the weights (tfjs) or of the `.onnx` file: equal hash ⇔ the same model. */
  weightsHash: string;
  signature: ModelSignature;
  /** Files of the package, relative to its folder. */
  files: { model: string; transform: string };
  /** Absent in packages the built-in trainer wrote: `tfjs`. */
  flavor?: 'tfjs' | 'onnx';
  /** For `onnx`: which raw columns feed which graph input, and the output read. */
  onnx?: OnnxBinding;
}

/** Element types an ONNX graph input may have here: what a raw column can be turned into. */
export const ONNX_INPUT_TYPES = ['float32', 'float64', 'int64', 'int32', 'bool', 'string'] as const;
export type OnnxInputType = (typeof ONNX_INPUT_TYPES)[number];

export interface OnnxBinding {
  /** Each graph input: the columns laid side by side in its last dimension, in order. */
  inputs: { name: string; type: OnnxInputType; columns: string[]; rank: number }[];
  output: string;
}

/** Raw inputs → outputs, what serving documents and checks requests against. */
export interface ModelSignature {
  inputs: { name: string; type: 'int' | 'float' | 'bool' | 'string'; required: boolean }[];
  outputs: { name: string; shape: number[]; description: string }[];
  /** Class names for classifiers, in output order. */
  classes?: string[];
}

/** One prediction for one raw row. */
export interface Prediction {
  /** Regression: the value. Binary: P(positive). Multiclass: the probability of the top class. */
  score: number;
  /** Classifiers: probability per class, in `signature.classes` order. */
  probabilities?: number[];
  /** Classifiers: the predicted class name. */
  label?: string;
}

/** A loaded model package: the one way evaluation, batch prediction and serving predict. */
export interface LoadedModel {
  readonly dir: string;
  readonly manifest: ModelManifest;
  readonly transform: FittedTransform;
  /** Transforms raw rows with the saved transform and predicts, in batches. */
  predict(rows: readonly RawRow[]): Promise<Prediction[]>;
  /** Predictions plus each row's label as the model encodes it (NaN when missing or unknown), for evaluation. */
  predictLabelled(rows: readonly RawRow[]): Promise<{ predictions: Prediction[]; labels: Float32Array }>;
  dispose(): void;
}

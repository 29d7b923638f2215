import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs';
import type { ModelConfig, TaskType } from '../pipeline/config';
import { deriveSeed } from '../util/random';
import type { Tf } from './backend';
import { seededDropout } from './dropout';
import { NUMERIC_INPUT, ONEHOT_INPUT, type InputPlan } from './inputs';

export interface ModelSpec {
  model: ModelConfig;
  task: TaskType;
  /** Output units: 1 for binary and regression, the number of classes for multiclass. */
  units: number;
  seed: number;
}

export interface BuiltModel {
  /** Inputs → predictions (probabilities or values): what is saved and served. */
  model: LayersModel;
  /** The same layers stopped before the output activation: what training differentiates. */
  logits: LayersModel;
  /** Names of the weights the L2 penalty applies to (kernels and embeddings). */
  penalised: Set<string>;
  /** Frees the weights: both models share the layers, and disposing `model` disposes every one. */
  dispose(): void;
}

const OUTPUT_ACTIVATION: Record<TaskType, 'sigmoid' | 'softmax' | 'linear'> = { binary: 'sigmoid', multiclass: 'softmax', regression: 'linear' };
const FALLBACK_EMBEDDING_DIM = 8;

/**
 * The three model families over the plan's inputs, every layer named (so saved packages are
 * byte-identical across runs) and every initializer and dropout seeded from `spec.seed`.
 * - linear: one dense layer over numeric + one-hot, plus a per-id weight for each embedding slot
 *   (an embedding of width `units`, which is a linear layer over that slot's one-hot vector);
 * - dnn: hidden layers over numeric + one-hot + embeddings;
 * - wide_deep: the linear part over the categorical features (wide) plus the dnn (deep), summed
 *   before the output activation.
 */
export function buildModel(tf: Tf, plan: InputPlan, spec: ModelSpec): BuiltModel {
  const { model: config, units } = spec;
  let seeds = 0;
  const seed = () => deriveSeed(spec.seed, ++seeds);
  const glorot = () => tf.initializers.glorotUniform({ seed: seed() });
  const penalised = new Set<string>();
  const dense = (name: string, n: number, useBias = true) => {
    const layer = tf.layers.dense({ units: n, name, useBias, kernelInitializer: glorot() });
    penalised.add(`${name}/kernel`);
    return layer;
  };
  const embedding = (name: string, rows: number, width: number) => {
    penalised.add(`${name}/embeddings`);
    return tf.layers.embedding({
      inputDim: rows,
      outputDim: width,
      name,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed() }),
    });
  };
  const flatten = (name: string, x: SymbolicTensor) => tf.layers.flatten({ name }).apply(x) as SymbolicTensor;
  const joined = (name: string, parts: SymbolicTensor[]) => (parts.length === 1 ? parts[0] : (tf.layers.concatenate({ name }).apply(parts) as SymbolicTensor));
  const summed = (name: string, parts: SymbolicTensor[]) => (parts.length === 1 ? parts[0] : (tf.layers.add({ name }).apply(parts) as SymbolicTensor));

  const numeric = plan.numeric > 0 ? tf.input({ shape: [plan.numeric], name: NUMERIC_INPUT }) : undefined;
  const onehot = plan.onehotWidth > 0 ? tf.input({ shape: [plan.onehotWidth], name: ONEHOT_INPUT }) : undefined;
  const ids = plan.embedded.map((e) => tf.input({ shape: [1], dtype: 'int32', name: `id_${e.key}` }));
  const inputs = [numeric, onehot, ...ids].filter((x): x is SymbolicTensor => x !== undefined);
  if (inputs.length === 0) throw new Error('the feature layout has no inputs');

  /** A weight per id of each embedding slot, per output unit. */
  const sparseLinear = () =>
    plan.embedded.map((e, i) => flatten(`wide_flat_${e.key}`, embedding(`wide_${e.key}`, e.rows, units).apply(ids[i]) as SymbolicTensor));

  const deep = () => {
    const embedded = plan.embedded.map((e, i) => {
      const width = e.embeddingDim ?? config.embeddingDim ?? FALLBACK_EMBEDDING_DIM;
      return flatten(`embedding_flat_${e.key}`, embedding(`embedding_${e.key}`, e.rows, width).apply(ids[i]) as SymbolicTensor);
    });
    let x = joined(
      'deep_inputs',
      [numeric, onehot, ...embedded].filter((t): t is SymbolicTensor => t !== undefined),
    );
    config.hidden.forEach((size, i) => {
      const n = i + 1;
      x = dense(`hidden_${n}`, size, !config.batchNorm).apply(x) as SymbolicTensor;
      if (config.batchNorm) x = tf.layers.batchNormalization({ name: `batch_norm_${n}` }).apply(x) as SymbolicTensor;
      x = tf.layers.activation({ activation: config.activation, name: `activation_${n}` }).apply(x) as SymbolicTensor;
      if (config.dropout > 0) x = seededDropout(tf, { rate: config.dropout, seed: seed(), name: `dropout_${n}` }).apply(x) as SymbolicTensor;
    });
    return dense('deep_logits', units).apply(x) as SymbolicTensor;
  };

  let logits: SymbolicTensor;
  switch (config.type) {
    case 'linear': {
      const denseInputs = [numeric, onehot].filter((t): t is SymbolicTensor => t !== undefined);
      const parts = sparseLinear();
      if (denseInputs.length > 0) parts.unshift(dense('linear', units).apply(joined('linear_inputs', denseInputs)) as SymbolicTensor);
      logits = summed('logits', parts);
      break;
    }
    case 'dnn':
      logits = deep();
      break;
    case 'wide_deep': {
      const wide = sparseLinear();
      if (onehot) wide.unshift(dense('wide_onehot', units, false).apply(onehot) as SymbolicTensor);
      logits = summed('logits', [...wide, deep()]);
      break;
    }
  }
  const output = tf.layers.activation({ activation: OUTPUT_ACTIVATION[spec.task], name: 'output' }).apply(logits) as SymbolicTensor;
  const model = tf.model({ inputs, outputs: output, name: 'model' });
  return { model, logits: tf.model({ inputs, outputs: logits, name: 'logits_model' }), penalised, dispose: () => model.dispose() };
}

import type { Scalar, Tensor } from '@tensorflow/tfjs';
import type { TaskType } from '../pipeline/config';
import type { TransformedBatch } from '../transform/types';
import type { Tf } from './backend';

/** Labels as the loss wants them: class indices (int32, [batch]) for multiclass, else floats [batch, 1]. */
export function labelTensor(tf: Tf, task: TaskType, batch: TransformedBatch): Tensor {
  return task === 'multiclass' ? tf.tensor1d(Int32Array.from(batch.label), 'int32') : tf.tensor2d(batch.label, [batch.size, 1], 'float32');
}

/**
 * Per-example loss from the model's logits (before the output activation), in the numerically
 * stable forms: binary cross-entropy with logits, sparse softmax cross-entropy, squared error.
 */
export function exampleLosses(tf: Tf, task: TaskType, labels: Tensor, logits: Tensor, classes: number): Tensor {
  switch (task) {
    case 'binary': {
      // max(z, 0) - z·y + log(1 + e^-|z|)
      const z = logits;
      return tf.reshape(tf.add(tf.sub(tf.relu(z), tf.mul(z, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))), [-1]);
    }
    case 'multiclass':
      return tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(tf.oneHot(labels, classes), logits), 1));
    case 'regression':
      return tf.reshape(tf.square(tf.sub(logits, labels)), [-1]);
  }
}

/**
 * Mean loss over the batch, each example weighted (Keras's `sum_over_batch_size`: weights scale
 * examples, the divisor stays the batch size), plus `l2 · Σ w²` over the penalised weights.
 */
export function batchLoss(tf: Tf, losses: Tensor, weights: Tensor | undefined, penalty: Scalar | undefined): Scalar {
  const data = tf.mean<Scalar>(weights ? tf.mul(losses, weights) : losses);
  return penalty ? tf.add(data, penalty) : data;
}

/** The L2 penalty of kernels and embeddings (not biases or batch-norm parameters). */
export function l2Penalty(tf: Tf, l2: number, penalised: Tensor[]): Scalar | undefined {
  if (l2 <= 0 || penalised.length === 0) return undefined;
  return tf.mul<Scalar>(tf.addN(penalised.map((w) => tf.sum(tf.square(w)))), l2);
}

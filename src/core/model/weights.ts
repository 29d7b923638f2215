import { createHash } from 'node:crypto';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from './backend';

/**
 * Every weight of the model (trainable and batch-norm statistics), float32 little-endian, in the
 * model's weight order: the bytes a checkpoint stores and `weightsHash` digests.
 */
export function weightBytes(model: LayersModel): Uint8Array {
  return concatFloat32(model.weights.map((w) => w.read().dataSync() as Float32Array));
}

export function concatFloat32(arrays: Float32Array[]): Uint8Array {
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.byteLength, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out;
}

export function setWeightBytes(tf: Tf, model: LayersModel, bytes: Uint8Array): void {
  const values = float32View(bytes);
  let at = 0;
  const tensors = model.weights.map((w) => {
    const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const t = tf.tensor(values.slice(at, at + size), w.shape as number[], 'float32');
    at += size;
    return t;
  });
  if (at !== values.length) {
    tf.dispose(tensors);
    throw new Error(`weights have ${values.length} values, the model needs ${at}`);
  }
  model.setWeights(tensors);
  tf.dispose(tensors);
}

/** sha256 of the weight bytes: equal hashes ⇔ bit-identical weights. */
export function hashWeights(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A Float32Array over `bytes`, copying only when they are not 4-byte aligned. */
export function float32View(bytes: Uint8Array): Float32Array {
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Float32Array(bytes.slice().buffer);
}

import type { Tensor } from '@tensorflow/tfjs';
import type { FeatureLayout, TransformedBatch } from '../transform/types';
import type { Tf } from './backend';

/**
 * How a transformed row becomes the model's input tensors, decided once from the feature layout:
 * - `numeric`: the float slots as they are, [batch, N];
 * - `onehot`: every one-hot categorical slot expanded into one dense block, [batch, Σ size]
 *   (id -1 → all zeros);
 * - one int input per embedding slot, [batch, 1], holding the id or `size` for "no id" (a reserved
 *   extra row of that slot's table), so each slot keeps its own table and width.
 * Inputs with nothing in them are left out.
 */
export interface InputPlan {
  numeric: number;
  onehot: { slot: number; offset: number; size: number }[];
  onehotWidth: number;
  embedded: EmbeddedSlot[];
  /** Model input names, in the order `batchInputs` returns tensors. */
  names: string[];
}

export interface EmbeddedSlot {
  slot: number;
  /** The slot's feature name. */
  feature: string;
  /** Input (and layer name) stem: valid as a tfjs name and unique. */
  key: string;
  /** Table rows: the ids plus the "no id" row. */
  rows: number;
  embeddingDim?: number;
}

export const NUMERIC_INPUT = 'numeric';
export const ONEHOT_INPUT = 'onehot';

export function inputPlan(layout: FeatureLayout): InputPlan {
  const onehot: InputPlan['onehot'] = [];
  const embedded: EmbeddedSlot[] = [];
  let onehotWidth = 0;
  layout.categorical.forEach((c, slot) => {
    if (c.encoding === 'onehot') {
      onehot.push({ slot, offset: onehotWidth, size: c.size });
      onehotWidth += c.size;
    } else {
      embedded.push({ slot, feature: c.name, key: `${slot}_${tfName(c.name)}`, rows: c.size + 1, embeddingDim: c.embeddingDim });
    }
  });
  const names = [...(layout.numeric.length > 0 ? [NUMERIC_INPUT] : []), ...(onehotWidth > 0 ? [ONEHOT_INPUT] : []), ...embedded.map((e) => `id_${e.key}`)];
  return { numeric: layout.numeric.length, onehot, onehotWidth, embedded, names };
}

/**
 * THE conversion of a transformed batch into the model's inputs: training, evaluation and
 * prediction all call this, so the model sees the same encoding everywhere.
 */
export function batchInputs(tf: Tf, plan: InputPlan, batch: TransformedBatch): Tensor[] {
  const rows = batch.size;
  const slots = batch.categorical.length / Math.max(rows, 1);
  const tensors: Tensor[] = [];
  if (plan.numeric > 0) tensors.push(tf.tensor2d(batch.numeric, [rows, plan.numeric], 'float32'));
  if (plan.onehotWidth > 0) {
    const dense = new Float32Array(rows * plan.onehotWidth);
    for (let r = 0; r < rows; r++) {
      for (const o of plan.onehot) {
        const id = batch.categorical[r * slots + o.slot];
        if (id >= 0) dense[r * plan.onehotWidth + o.offset + checkedId(id, o.size, o.slot)] = 1;
      }
    }
    tensors.push(tf.tensor2d(dense, [rows, plan.onehotWidth], 'float32'));
  }
  for (const e of plan.embedded) {
    const ids = new Int32Array(rows);
    const size = e.rows - 1;
    for (let r = 0; r < rows; r++) {
      const id = batch.categorical[r * slots + e.slot];
      ids[r] = id < 0 ? size : checkedId(id, size, e.slot);
    }
    tensors.push(tf.tensor2d(ids, [rows, 1], 'int32'));
  }
  return tensors;
}

/** An id past its slot's size means the transform and the model disagree: a bug, not user input. */
function checkedId(id: number, size: number, slot: number): number {
  if (id >= size) throw new Error(`categorical slot ${slot}: id ${id} is outside 0..${size - 1}`);
  return id;
}

/** tfjs names allow letters, digits and `-._/` after a letter or digit. */
function tfName(name: string): string {
  return name.replace(/[^A-Za-z0-9\-._]/g, '_');
}

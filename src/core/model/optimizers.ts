import type { Tensor, Variable } from '@tensorflow/tfjs';
import type { TrainConfig } from '../pipeline/config';
import type { Tf } from './backend';
import { concatFloat32, float32View } from './weights';

/**
 * The optimisers, written here rather than taken from tf.train so that their whole state is plain
 * slot variables plus a step count: a checkpoint saves exactly that, and a resumed training
 * continues bit for bit (tfjs's Adam recomputes its bias-correction powers on restore with
 * different rounding). The update rules and defaults are Keras's.
 */
export interface Optimizer {
  /** Updates every variable from its gradient (same order as the variables given at creation). */
  apply(gradients: Tensor[]): void;
  /** Updates applied so far. */
  readonly step: number;
  /** The slot variables, float32 in a fixed order: what a checkpoint stores besides the step. */
  slotBytes(): Uint8Array;
  /** Restores the state a checkpoint saved. */
  restore(step: number, slotBytes: Uint8Array): void;
  dispose(): void;
}

const EPSILON = 1e-7;

type Rule = {
  /** Slot variables per model variable, created as zeros (Adagrad's start at 0.1). */
  slots: number;
  initial?: number;
  /** The update of one variable with its slots, inside a tidy. */
  update(tf: Tf, variable: Variable, gradient: Tensor, slots: Variable[], step: number): void;
};

function rules(learningRate: number): Record<TrainConfig['optimizer'], Rule> {
  return {
    sgd: {
      slots: 0,
      update: (tf, v, g) => v.assign(tf.sub(v, tf.mul(g, learningRate))),
    },
    momentum: {
      slots: 1,
      update: (tf, v, g, [velocity]) => {
        const next = tf.sub(tf.mul(velocity, 0.9), tf.mul(g, learningRate));
        velocity.assign(next);
        v.assign(tf.add(v, next));
      },
    },
    rmsprop: {
      slots: 1,
      update: (tf, v, g, [meanSquare]) => {
        const next = tf.add(tf.mul(meanSquare, 0.9), tf.mul(tf.square(g), 0.1));
        meanSquare.assign(next);
        v.assign(tf.sub(v, tf.div(tf.mul(g, learningRate), tf.add(tf.sqrt(next), EPSILON))));
      },
    },
    adagrad: {
      slots: 1,
      initial: 0.1,
      update: (tf, v, g, [accumulator]) => {
        const next = tf.add(accumulator, tf.square(g));
        accumulator.assign(next);
        v.assign(tf.sub(v, tf.div(tf.mul(g, learningRate), tf.add(tf.sqrt(next), EPSILON))));
      },
    },
    adam: {
      slots: 2,
      update: (tf, v, g, [m, s], step) => {
        const [beta1, beta2] = [0.9, 0.999];
        // Bias correction from the step count in double precision: a pure function of the step.
        const rate = (learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
        const nextM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const nextS = tf.add(tf.mul(s, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(nextM);
        s.assign(nextS);
        v.assign(tf.sub(v, tf.div(tf.mul(nextM, rate), tf.add(tf.sqrt(nextS), EPSILON))));
      },
    },
  };
}

export function createOptimizer(tf: Tf, kind: TrainConfig['optimizer'], learningRate: number, variables: Variable[]): Optimizer {
  const rule = rules(learningRate)[kind];
  const perVariable = variables.map((v) => Array.from({ length: rule.slots }, () => tf.tidy(() => tf.fill(v.shape, rule.initial ?? 0).variable(false))));
  let step = 0;
  return {
    get step() {
      return step;
    },
    apply(gradients) {
      step++;
      tf.tidy(() => variables.forEach((v, i) => rule.update(tf, v, gradients[i], perVariable[i], step)));
    },
    slotBytes: () => concatFloat32(perVariable.flat().map((slot) => slot.dataSync() as Float32Array)),
    restore(savedStep, bytes) {
      const values = float32View(bytes);
      let at = 0;
      for (const slot of perVariable.flat()) {
        const size = slot.size;
        tf.tidy(() => slot.assign(tf.tensor(values.slice(at, at + size), slot.shape, 'float32')));
        at += size;
      }
      if (at !== values.length) throw new Error(`optimizer state has ${values.length} values, the optimizer needs ${at}`);
      step = savedStep;
    },
    dispose() {
      for (const slot of perVariable.flat()) slot.dispose();
    },
  };
}

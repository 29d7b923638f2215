import type { LayersModel, Tensor, layers } from '@tensorflow/tfjs';
import { deriveSeed } from '../util/random';
import type { Tf } from './backend';

/**
 * tfjs's Dropout with a seed draws the same mask on every call (the seed restarts its generator),
 * and without one it uses Math.random, so neither trains reproducibly. This dropout draws its mask
 * from (seed, training step): a new mask every batch, the same one in every run, and the same one
 * after a resume, because the step is restored from the checkpoint. It serialises as a standard
 * `Dropout` (identity at inference), so a saved model loads in any tfjs.
 */
export interface SeededDropout {
  step: number;
}

type DropoutArgs = { rate: number; seed: number; name: string };
type DropoutLayer = SeededDropout & layers.Layer;
type DropoutFactory = (args: DropoutArgs) => DropoutLayer;

const factories = new WeakMap<Tf, DropoutFactory>();

export function seededDropout(tf: Tf, args: DropoutArgs): DropoutLayer {
  let make = factories.get(tf);
  if (!make) {
    make = defineLayer(tf);
    factories.set(tf, make);
  }
  return make(args);
}

/** Sets the training step every seeded dropout layer of `model` draws its next mask from. */
export function setDropoutStep(model: LayersModel, step: number): void {
  for (const layer of model.layers) if (isSeededDropout(layer)) layer.step = step;
}

function isSeededDropout(layer: object): layer is SeededDropout {
  return 'step' in layer && typeof (layer as SeededDropout).step === 'number';
}

/** The class extends the given namespace's Layer: tfjs-node and the bundled tfjs are separate copies. */
function defineLayer(tf: Tf): DropoutFactory {
  class Dropout extends tf.layers.Layer {
    static className = 'Dropout';
    step = 0;
    private readonly rate: number;
    private readonly seed: number;

    constructor(args: DropoutArgs) {
      super({ name: args.name });
      this.rate = args.rate;
      this.seed = args.seed;
    }

    override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
      const input = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!kwargs.training || this.rate <= 0) return input;
      return tf.dropout(input, this.rate, undefined, deriveSeed(this.seed, this.step));
    }

    override getConfig() {
      return { ...super.getConfig(), rate: this.rate, seed: this.seed };
    }
  }
  return (args) => new Dropout(args);
}

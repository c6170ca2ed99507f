// A network as a chain of layers: forward runs them in order, backward runs
// their backward passes in reverse, each layer's ∂J/∂z_in becoming the ∂J/∂z_out
// of the layer below. That loop *is* backpropagation.

import { NnError } from "../errors";
import type { Rng } from "../rng";
import { Tensor } from "../tensor";
import { activation, type ActivationName } from "./activations";
import type { Layer } from "./layer";
import { Linear } from "./linear";

export interface NetworkGradients {
  /** ∂J/∂x for the network's input; undefined when backward was asked to skip it. */
  dZIn: Tensor | undefined;
  /** ∂J/∂θ keyed like `parameters()`: "W1", "b1", "W2", … */
  grads: Record<string, Tensor>;
}

export class Sequential {
  readonly layers: readonly Layer[];
  /** Per layer, the suffix its parameters are known by ("1" → W1, b1); "" for layers without parameters. */
  readonly layerNames: readonly string[];
  private trace: Tensor[] = [];

  /**
   * Layers with parameters are numbered 1, 2, 3… in order, as the lecture numbers
   * them: the first Linear layer owns W1 and b1.
   */
  constructor(layers: readonly Layer[]) {
    if (layers.length === 0) throw new NnError("Sequential: needs at least one layer");
    this.layers = [...layers];
    let count = 0;
    this.layerNames = this.layers.map((l) => (Object.keys(l.params).length > 0 ? String(++count) : ""));
  }

  /** Every parameter tensor, keyed "W1", "b1", …: the live tensors, so changing them changes the network. */
  parameters(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.layers.forEach((layer, i) => {
      for (const [name, t] of Object.entries(layer.params)) out[name + this.layerNames[i]] = t;
    });
    return out;
  }

  forward(x: Tensor): Tensor {
    this.trace = [x];
    let z = x;
    for (const layer of this.layers) {
      z = layer.forward(z);
      this.trace.push(z);
    }
    return z;
  }

  /**
   * The input and every layer's output from the last forward: [x, z1, a1, z2, …].
   * For demos that show the activations of each layer.
   */
  lastTrace(): readonly Tensor[] {
    return this.trace;
  }

  /**
   * Backprop from ∂J/∂(network output). With `inputGradient: false` the first
   * layer's ∂J/∂x is skipped when that layer allows it (training never needs it,
   * and for the digit network it is a third of the work).
   */
  backward(dOut: Tensor, { inputGradient = true }: { inputGradient?: boolean } = {}): NetworkGradients {
    const grads: Record<string, Tensor> = {};
    let d: Tensor | undefined = dOut;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i];
      let layerGrads: Record<string, Tensor>;
      if (i === 0 && !inputGradient && layer instanceof Linear) {
        layerGrads = layer.paramGradients(d as Tensor);
        d = undefined;
      } else {
        const result = layer.backward(d as Tensor);
        layerGrads = result.grads;
        d = result.dZIn;
      }
      for (const [name, g] of Object.entries(layerGrads)) grads[name + this.layerNames[i]] = g;
    }
    return { dZIn: d, grads };
  }
}

export interface MlpOptions {
  /** Hidden activation; ReLU by default. The output layer is linear (logits, or ŷ for regression). */
  activation?: ActivationName;
  /** Standard deviation of the initial weights; He's √(2/in) per layer by default. */
  std?: number;
}

/**
 * A multilayer perceptron from its layer widths, e.g. [784, 300, 100, 10] for
 * the lecture's digit network: Linear → act → Linear → act → Linear.
 */
export function mlp(sizes: readonly number[], rng: Rng, { activation: act = "relu", std }: MlpOptions = {}): Sequential {
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new NnError(`mlp: needs at least two positive integer widths, got [${sizes.join(", ")}]`);
  const layers: Layer[] = [];
  for (let l = 1; l < sizes.length; l++) {
    layers.push(Linear.init(sizes[l - 1], sizes[l], rng, std ?? Math.sqrt(2 / sizes[l - 1])));
    if (l < sizes.length - 1) layers.push(activation(act));
  }
  return new Sequential(layers);
}

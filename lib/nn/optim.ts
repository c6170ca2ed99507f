// Gradient descent, the lecture's  θ ← θ − α ∂J/∂θ,  with momentum: each parameter moves along a running
// average of its recent gradients (v ← μv + ∂J/∂θ, θ ← θ − αv), which smooths the noise of small batches.
// With μ = 0 it is the plain update of the slides.

import { NnError } from "./errors";
import type { Tensor } from "./tensor";

export interface SgdOptions {
  /** μ in [0, 1); 0 gives plain gradient descent. */
  momentum?: number;
  /** L2 penalty λ: adds λθ to every weight's gradient (not to biases, whose names start with "b"). */
  weightDecay?: number;
}

export class Sgd {
  private readonly velocity = new Map<string, Float64Array>();
  private readonly momentum: number;
  private readonly weightDecay: number;

  /** `params` are the live tensors (e.g. `net.parameters()`): step() changes them in place. */
  constructor(
    private readonly params: Record<string, Tensor>,
    { momentum = 0, weightDecay = 0 }: SgdOptions = {},
  ) {
    if (!(momentum >= 0 && momentum < 1)) throw new NnError(`Sgd: momentum must be in [0, 1), got ${momentum}`);
    if (!(weightDecay >= 0)) throw new NnError(`Sgd: weightDecay must be ≥ 0, got ${weightDecay}`);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  /** One update with learning rate α from the gradients keyed like the parameters ("W1", "b1", …). */
  step(grads: Record<string, Tensor>, learningRate: number): void {
    for (const [name, theta] of Object.entries(this.params)) {
      const g = grads[name];
      if (!g) throw new NnError(`Sgd.step: no gradient for parameter ${name}`);
      if (g.size !== theta.size) throw new NnError(`Sgd.step: gradient of ${name} has ${g.size} entries, the parameter ${theta.size}`);
      let v = this.velocity.get(name);
      if (!v) this.velocity.set(name, (v = new Float64Array(theta.size)));
      const decay = name.startsWith("b") ? 0 : this.weightDecay;
      const t = theta.data;
      for (let i = 0; i < t.length; i++) {
        v[i] = this.momentum * v[i] + g.data[i] + decay * t[i];
        t[i] -= learningRate * v[i];
      }
    }
  }
}

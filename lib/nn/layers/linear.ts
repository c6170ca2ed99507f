// The fully connected layer. Shapes follow the lecture's w[layer][output][input]
// and b[layer][output]: W is [out, in], b is [out], and a batch of N inputs is
// [N, in], one example per row. So for one example zᵢ_out = Σⱼ Wᵢⱼ zⱼ_in + bᵢ,
// and for the batch  z_out = z_in · Wᵀ + b  (b added to every row).

import { formatShape, ShapeError } from "../errors";
import { addRowBias, matmul, matmulTransA, matmulTransB, sum } from "../ops";
import type { Rng } from "../rng";
import { assertFinite, assertRank, Tensor } from "../tensor";
import { checkUpstream, type Layer, type LayerGradients } from "./layer";

/** What backward needs from forward: only the input (W is read again from the layer). */
export interface LinearCache {
  zIn: Tensor;
  W: Tensor;
}

/** z_out = z_in · Wᵀ + b, with the cache backward needs. */
export function linearForward(zIn: Tensor, W: Tensor, b: Tensor): { zOut: Tensor; cache: LinearCache } {
  assertRank(zIn, 2, "Linear.forward", "z_in");
  assertRank(W, 2, "Linear.forward", "W");
  assertRank(b, 1, "Linear.forward", "b");
  const [out, inFeatures] = W.shape;
  if (zIn.shape[1] !== inFeatures)
    throw new ShapeError(
      `Linear.forward: z_in has shape ${formatShape(zIn.shape)} but W has shape ${formatShape(W.shape)} (expects ${inFeatures} input features per row)`,
    );
  if (b.shape[0] !== out)
    throw new ShapeError(`Linear.forward: b has shape ${formatShape(b.shape)} but W has shape ${formatShape(W.shape)} (expects [${out}])`);
  assertFinite(zIn, "Linear.forward z_in");
  assertFinite(W, "Linear.forward W");
  assertFinite(b, "Linear.forward b");
  return { zOut: addRowBias(matmulTransB(zIn, W), b), cache: { zIn, W } };
}

/**
 * The three gradients of z_out = z_in · Wᵀ + b, by the chain rule on one entry
 * zᵢ_out = Σⱼ Wᵢⱼ zⱼ_in + bᵢ and then summed over the batch:
 *   ∂J/∂z_in = ∂J/∂z_out · W          [N, in]
 *   ∂J/∂W    = (∂J/∂z_out)ᵀ · z_in    [out, in]  (not its transpose: one entry per weight)
 *   ∂J/∂b    = Σ over rows of ∂J/∂z_out [out]   (every example used the same b)
 */
export function linearBackward(dZOut: Tensor, cache: LinearCache): { dZIn: Tensor; dW: Tensor; db: Tensor } {
  return { dZIn: matmul(dZOut, cache.W), ...linearParamGradients(dZOut, cache) };
}

/** ∂J/∂W and ∂J/∂b only: a network's first layer has no use for ∂J/∂x. */
export function linearParamGradients(dZOut: Tensor, cache: LinearCache): { dW: Tensor; db: Tensor } {
  return { dW: matmulTransA(dZOut, cache.zIn), db: sum(dZOut, 0) };
}

export class Linear implements Layer {
  readonly kind = "Linear";
  W: Tensor;
  b: Tensor;
  private cache?: LinearCache;
  private zOut?: Tensor;

  /** A layer with the given W [out, in] and b [out] (used as they are, not copied). */
  constructor(W: Tensor, b: Tensor) {
    assertRank(W, 2, "Linear", "W");
    assertRank(b, 1, "Linear", "b");
    if (b.shape[0] !== W.shape[0])
      throw new ShapeError(`Linear: b has shape ${formatShape(b.shape)} but W has shape ${formatShape(W.shape)} (expects [${W.shape[0]}])`);
    this.W = W;
    this.b = b;
  }

  /**
   * in → out with W ~ N(0, 2/in) (He initialisation, which keeps the activations'
   * scale steady through ReLU layers) and b = 0.
   */
  static init(inFeatures: number, outFeatures: number, rng: Rng, std = Math.sqrt(2 / inFeatures)): Linear {
    return new Linear(Tensor.randn([outFeatures, inFeatures], rng, std), Tensor.zeros([outFeatures]));
  }

  get inFeatures(): number {
    return this.W.shape[1];
  }

  get outFeatures(): number {
    return this.W.shape[0];
  }

  get params(): Record<string, Tensor> {
    return { W: this.W, b: this.b };
  }

  forward(zIn: Tensor): Tensor {
    const { zOut, cache } = linearForward(zIn, this.W, this.b);
    this.cache = cache;
    this.zOut = zOut;
    return zOut;
  }

  backward(dZOut: Tensor): LayerGradients {
    const { dZIn, dW, db } = linearBackward(dZOut, checkUpstream(this.kind, this.cache, this.zOut, dZOut));
    return { dZIn, grads: { W: dW, b: db } };
  }

  /** Like backward, without ∂J/∂z_in. */
  paramGradients(dZOut: Tensor): Record<string, Tensor> {
    const { dW, db } = linearParamGradients(dZOut, checkUpstream(this.kind, this.cache, this.zOut, dZOut));
    return { W: dW, b: db };
  }
}

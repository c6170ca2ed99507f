// The lecture's generic layer: z_out = f(z_in; θ). Forward computes z_out and
// keeps what backward will need (the cache); backward takes ∂J/∂z_out and returns
// ∂J/∂z_in together with ∂J/∂θ for each parameter θ. Any network is a chain of
// these, and backprop is calling backward in reverse order.

import { formatShape, NnError, ShapeError } from "../errors";
import { assertFinite, sameShape, type Tensor } from "../tensor";

export interface LayerGradients {
  /** ∂J/∂z_in, the same shape as z_in: what the layer below receives as its ∂J/∂z_out. */
  dZIn: Tensor;
  /** ∂J/∂θ for each parameter, keyed like `params` (e.g. { W, b }); empty for activations. */
  grads: Record<string, Tensor>;
}

export interface Layer {
  /** What the layer is: "Linear", "ReLU", "Sigmoid", … */
  readonly kind: string;
  /** Its trainable tensors keyed by name (e.g. { W, b }); the layer reads them on every forward. */
  readonly params: Record<string, Tensor>;
  forward(zIn: Tensor): Tensor;
  backward(dZOut: Tensor): LayerGradients;
}

/** The checks every layer's backward shares: a forward happened, and ∂J/∂z_out has z_out's shape. */
export function checkUpstream<C>(kind: string, cache: C | undefined, zOut: Tensor | undefined, dZOut: Tensor): C {
  if (cache === undefined || zOut === undefined) throw new NnError(`${kind}.backward: call forward first`);
  if (!sameShape(dZOut.shape, zOut.shape))
    throw new ShapeError(
      `${kind}.backward: ∂J/∂z_out has shape ${formatShape(dZOut.shape)} but z_out has shape ${formatShape(zOut.shape)}`,
    );
  assertFinite(dZOut, `${kind}.backward ∂J/∂z_out`);
  return cache;
}

// Softmax over each row of z [N, K]: aₖ = e^(zₖ) / Σⱼ e^(zⱼ), one distribution
// per example. Unlike the elementwise activations every output depends on every
// input of its row, so its Jacobian is ∂aₖ/∂zⱼ = aₖ(δₖⱼ − aⱼ), and
//   ∂J/∂zⱼ = aⱼ (∂J/∂aⱼ − Σₖ aₖ ∂J/∂aₖ).

import { assertFinite, assertRank, Tensor } from "../tensor";
import { checkUpstream, type Layer, type LayerGradients } from "./layer";

/** Row-wise softmax. Subtracting each row's max first leaves the result unchanged and keeps e^z from overflowing. */
export function softmaxRows(z: Tensor): Tensor {
  assertRank(z, 2, "softmax", "z");
  const [n, k] = z.shape;
  const out = new Float64Array(z.size);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, z.data[row + j]);
    let total = 0;
    for (let j = 0; j < k; j++) total += out[row + j] = Math.exp(z.data[row + j] - max);
    for (let j = 0; j < k; j++) out[row + j] /= total;
  }
  return new Tensor(out, z.shape);
}

export class Softmax implements Layer {
  readonly kind = "Softmax";
  readonly params: Record<string, Tensor> = {};
  private aOut?: Tensor;

  forward(zIn: Tensor): Tensor {
    assertRank(zIn, 2, "Softmax.forward", "z_in");
    assertFinite(zIn, "Softmax.forward z_in");
    this.aOut = softmaxRows(zIn);
    return this.aOut;
  }

  backward(dA: Tensor): LayerGradients {
    const a = checkUpstream(this.kind, this.aOut, this.aOut, dA);
    const [n, k] = a.shape;
    const dZ = new Float64Array(a.size);
    for (let i = 0; i < n; i++) {
      const row = i * k;
      let aDotDA = 0;
      for (let j = 0; j < k; j++) aDotDA += a.data[row + j] * dA.data[row + j];
      for (let j = 0; j < k; j++) dZ[row + j] = a.data[row + j] * (dA.data[row + j] - aDotDA);
    }
    return { dZIn: new Tensor(dZ, a.shape), grads: {} };
  }
}

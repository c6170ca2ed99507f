// Elementwise activations. dA is ∂J/∂a; a is the forward output for z. Return ∂J/∂z = dA ⊙ g′(z).

/** σ(z), written so that the exponent is never positive: finite for any z. */
export function sigmoid(z: Tensor): Tensor {
  return np.map(z, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
}

/** σ′(z) = a(1 − a). */
export function sigmoidBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  return np.mul(dA, np.mul(a, np.sub(1, a)));
}

export function relu(z: Tensor): Tensor {
  return np.maximum(z, 0);
}

/** ReLU′(z) = 1 where z ≥ 0, else 0: the slides take 1 at the kink. */
export function reluBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  return np.mul(dA, np.map(z, (v) => (v >= 0 ? 1 : 0)));
}

/** The slides' hard threshold: 1 for z ≥ 0. */
export function step(z: Tensor): Tensor {
  return np.map(z, (v) => (v >= 0 ? 1 : 0));
}

/** step′ = 0 wherever it exists: no gradient flows back. */
export function stepBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  return np.zerosLike(dA);
}

// Softmax + cross-entropy over a batch: z and y are [N, K]; y is one-hot.

/** J = −(1/N) Σₙ Σₖ yₙₖ log softmax(zₙ)ₖ, stable for large logits. */
export function forward(z: Tensor, y: Tensor): number {
  throw new Error("forward is not implemented yet");
}

/** ∂J/∂z = (softmax(z) − y) / N. */
export function backward(z: Tensor, y: Tensor): Tensor {
  throw new Error("backward is not implemented yet");
}

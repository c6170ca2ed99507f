// A 3-layer MLP: Linear → ReLU → Linear → ReLU → Linear (logits), mean softmax cross-entropy.
// x: [N, in]; W_ℓ: [out, in]; b_ℓ: [out]; y: [N, K] one-hot.
type Params = { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor; W3: Tensor; b3: Tensor };

export function forward(x: Tensor, params: Params): Tensor {
  throw new Error("forward is not implemented yet");
}

/** ∂J/∂θ for every parameter, under the parameter's own name. */
export function backward(x: Tensor, y: Tensor, params: Params): Params {
  throw new Error("backward is not implemented yet");
}

// The fully connected layer over a batch. x: [N, in], W: [out, in], b: [out], dZ: [N, out].

/** z = x · Wᵀ + b, shape [N, out]. */
export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor {
  // TODO: np.matmul, np.transpose (or W.T) and np.add
  throw new Error("forward is not implemented yet");
}

/** Given dZ = ∂J/∂z, return ∂J/∂x [N, in], ∂J/∂W [out, in] and ∂J/∂b [out]. */
export function backward(dZ: Tensor, x: Tensor, W: Tensor, b: Tensor): { dX: Tensor; dW: Tensor; dB: Tensor } {
  // TODO
  throw new Error("backward is not implemented yet");
}

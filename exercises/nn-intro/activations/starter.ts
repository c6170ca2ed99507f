// Elementwise activations. dA is ∂J/∂a; a is the forward output for z. Return ∂J/∂z = dA ⊙ g′(z).

export function sigmoid(z: Tensor): Tensor {
  throw new Error("sigmoid is not implemented yet");
}

export function sigmoidBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  throw new Error("sigmoidBackward is not implemented yet");
}

export function relu(z: Tensor): Tensor {
  throw new Error("relu is not implemented yet");
}

export function reluBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  throw new Error("reluBackward is not implemented yet");
}

export function step(z: Tensor): Tensor {
  throw new Error("step is not implemented yet");
}

export function stepBackward(dA: Tensor, z: Tensor, a: Tensor): Tensor {
  throw new Error("stepBackward is not implemented yet");
}

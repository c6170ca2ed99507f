// The three-neuron network: ŷ = w2_1·ReLU(w1_1·x + b1_1) + w2_2·ReLU(w1_2·x + b1_2) + b2_1, J = (ŷ − y)².
type Params = { w1_1: number; b1_1: number; w1_2: number; b1_2: number; w2_1: number; w2_2: number; b2_1: number };

export function forward(x: number, p: Params): number {
  throw new Error("forward is not implemented yet");
}

/** ∂J/∂θ for each of the seven parameters, under the parameter's own name. */
export function backward(x: number, y: number, p: Params): Params {
  throw new Error("backward is not implemented yet");
}

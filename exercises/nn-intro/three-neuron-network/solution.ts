// The three-neuron network: ŷ = w2_1·ReLU(w1_1·x + b1_1) + w2_2·ReLU(w1_2·x + b1_2) + b2_1, J = (ŷ − y)².
type Params = { w1_1: number; b1_1: number; w1_2: number; b1_2: number; w2_1: number; w2_2: number; b2_1: number };

const relu = (z: number) => Math.max(0, z);

export function forward(x: number, p: Params): number {
  return p.w2_1 * relu(p.w1_1 * x + p.b1_1) + p.w2_2 * relu(p.w1_2 * x + p.b1_2) + p.b2_1;
}

/** ∂J/∂θ for each of the seven parameters, under the parameter's own name. */
export function backward(x: number, y: number, p: Params): Params {
  const z1 = p.w1_1 * x + p.b1_1;
  const z2 = p.w1_2 * x + p.b1_2;
  const a1 = relu(z1);
  const a2 = relu(z2);
  const yHat = p.w2_1 * a1 + p.w2_2 * a2 + p.b2_1;
  const e = 2 * (yHat - y); // ∂J/∂ŷ
  const dz1 = e * p.w2_1 * (z1 >= 0 ? 1 : 0); // ∂J/∂z1,1 = ∂J/∂ŷ · w2,1 · ReLU′(z1,1), ReLU′(0) = 1 as on the slides
  const dz2 = e * p.w2_2 * (z2 >= 0 ? 1 : 0);
  return { w1_1: dz1 * x, b1_1: dz1, w1_2: dz2 * x, b1_2: dz2, w2_1: e * a1, w2_2: e * a2, b2_1: e };
}

// A width-1 chain of 5 sigmoid neurons: z_ℓ = w_ℓ·a_{ℓ−1} + b_ℓ, a_ℓ = σ(z_ℓ), a_0 = x, J = (a_5 − y)².
// Index 0 is layer 1.

const sigmoid = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

export function forward(x: number, w: number[], b: number[]): { z: number[]; a: number[] } {
  const z: number[] = [];
  const a: number[] = [];
  let input = x;
  for (let l = 0; l < w.length; l++) {
    z[l] = w[l] * input + b[l];
    a[l] = sigmoid(z[l]);
    input = a[l];
  }
  return { z, a };
}

export function backward(x: number, y: number, w: number[], z: number[], a: number[]): { dz: number[]; dw: number[]; db: number[] } {
  const L = w.length;
  const dz: number[] = new Array(L);
  const dw: number[] = new Array(L);
  const sigmaPrime = (l: number) => a[l] * (1 - a[l]);
  dz[L - 1] = 2 * (a[L - 1] - y) * sigmaPrime(L - 1);
  for (let l = L - 2; l >= 0; l--) {
    dz[l] = dz[l + 1] * w[l + 1] * sigmaPrime(l); // reuse ∂J/∂z of the layer above
  }
  for (let l = 0; l < L; l++) dw[l] = dz[l] * (l === 0 ? x : a[l - 1]);
  return { dz, dw, db: [...dz] };
}

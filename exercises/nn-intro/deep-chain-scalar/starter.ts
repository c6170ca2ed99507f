// A width-1 chain of 5 sigmoid neurons: z_ℓ = w_ℓ·a_{ℓ−1} + b_ℓ, a_ℓ = σ(z_ℓ), a_0 = x, J = (a_5 − y)².
// Index 0 is layer 1.

export function forward(x: number, w: number[], b: number[]): { z: number[]; a: number[] } {
  throw new Error("forward is not implemented yet");
}

export function backward(x: number, y: number, w: number[], z: number[], a: number[]): { dz: number[]; dw: number[]; db: number[] } {
  throw new Error("backward is not implemented yet");
}

export function forward(a: number, w: number, b: number): number {
  throw new Error("not implemented");
}

export function backward(dz: number, a: number, w: number): { dw: number; db: number; da: number } {
  throw new Error("not implemented");
}

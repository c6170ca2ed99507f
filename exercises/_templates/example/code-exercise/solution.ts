export function forward(a: number, w: number, b: number): number {
  return w * a + b;
}

export function backward(dz: number, a: number, w: number): { dw: number; db: number; da: number } {
  return { dw: dz * a, db: dz, da: dz * w };
}

// Tensor operations. Each checks its shapes first and throws a ShapeError that
// names the operation and both shapes; the arithmetic itself is plain loops over
// the flat data (or the matmul kernel).

import { formatShape, ShapeError } from "./errors";
import { gemmAB, gemmABt, gemmAtB, transposeData } from "./kernels";
import { assertRank, assertSameShape, Tensor } from "./tensor";

function zipWith(a: Tensor, b: Tensor, op: string, f: (x: number, y: number) => number): Tensor {
  assertSameShape(a, b, op);
  const out = new Float64Array(a.size);
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i], b.data[i]);
  return new Tensor(out, a.shape);
}

/** Elementwise a + b (same shapes). */
export const add = (a: Tensor, b: Tensor): Tensor => zipWith(a, b, "add", (x, y) => x + y);
/** Elementwise a − b (same shapes). */
export const sub = (a: Tensor, b: Tensor): Tensor => zipWith(a, b, "sub", (x, y) => x - y);
/** Elementwise (Hadamard) product a ⊙ b (same shapes). */
export const mul = (a: Tensor, b: Tensor): Tensor => zipWith(a, b, "mul", (x, y) => x * y);
/** Elementwise a / b (same shapes). */
export const div = (a: Tensor, b: Tensor): Tensor => zipWith(a, b, "div", (x, y) => x / y);

/** f applied to every entry. */
export function map(t: Tensor, f: (x: number, i: number) => number): Tensor {
  const out = new Float64Array(t.size);
  for (let i = 0; i < out.length; i++) out[i] = f(t.data[i], i);
  return new Tensor(out, t.shape);
}

/** c · t. */
export function scale(t: Tensor, c: number): Tensor {
  const out = new Float64Array(t.size);
  for (let i = 0; i < out.length; i++) out[i] = c * t.data[i];
  return new Tensor(out, t.shape);
}

/** Σ a ⊙ b over every entry: the inner product of two same-shaped tensors. */
export function dot(a: Tensor, b: Tensor): number {
  assertSameShape(a, b, "dot");
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

/** The transpose of a matrix [m, n] → [n, m]. */
export function transpose(t: Tensor): Tensor {
  assertRank(t, 2, "transpose");
  const [m, n] = t.shape;
  return new Tensor(transposeData(t.data, m, n), [n, m]);
}

function matmulShapes(a: Tensor, b: Tensor, op: string, aInner: 0 | 1, bInner: 0 | 1): [number, number, number] {
  if (a.rank !== 2 || b.rank !== 2)
    throw new ShapeError(`${op}: needs two matrices, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const k = a.shape[aInner];
  if (k !== b.shape[bInner])
    throw new ShapeError(
      `${op}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not match (inner dimensions ${k} ≠ ${b.shape[bInner]})`,
    );
  return [a.shape[1 - aInner], b.shape[1 - bInner], k];
}

/** A · B for A [m, k] and B [k, n]. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [m, n, k] = matmulShapes(a, b, "matmul", 1, 0);
  return new Tensor(gemmAB(a.data, b.data, m, n, k), [m, n]);
}

/** A · Bᵀ for A [m, k] and B [n, k]: the Linear layer's z_in · Wᵀ, without building Wᵀ. */
export function matmulTransB(a: Tensor, b: Tensor): Tensor {
  const [m, n, k] = matmulShapes(a, b, "matmulTransB", 1, 1);
  return new Tensor(gemmABt(a.data, b.data, m, n, k), [m, n]);
}

/** Aᵀ · B for A [k, m] and B [k, n]: the Linear layer's ∂J/∂W = (∂J/∂z_out)ᵀ · z_in. */
export function matmulTransA(a: Tensor, b: Tensor): Tensor {
  const [m, n, k] = matmulShapes(a, b, "matmulTransA", 0, 0);
  return new Tensor(gemmAtB(a.data, b.data, m, n, k), [m, n]);
}

/**
 * z + b with the row b [k] added to every row of z [N, k]: the bias broadcast of
 * a Linear layer (the one broadcast the lecture needs).
 */
export function addRowBias(z: Tensor, b: Tensor): Tensor {
  if (z.rank !== 2 || b.rank !== 1 || z.shape[1] !== b.shape[0])
    throw new ShapeError(`addRowBias: cannot add a bias of shape ${formatShape(b.shape)} to the rows of ${formatShape(z.shape)}`);
  const [n, k] = z.shape;
  const out = new Float64Array(z.size);
  for (let i = 0; i < n; i++) {
    const row = i * k;
    for (let j = 0; j < k; j++) out[row + j] = z.data[row + j] + b.data[j];
  }
  return new Tensor(out, z.shape);
}

/**
 * Σ over one axis (the axis disappears from the shape), or over everything when
 * `axis` is omitted (a scalar tensor). sum(∂J/∂z_out, 0) is the bias gradient.
 */
export function sum(t: Tensor, axis?: number): Tensor {
  if (axis === undefined) {
    let s = 0;
    for (let i = 0; i < t.size; i++) s += t.data[i];
    return Tensor.scalar(s);
  }
  if (!Number.isInteger(axis) || axis < 0 || axis >= t.rank)
    throw new ShapeError(`sum: axis ${axis} does not exist in shape ${formatShape(t.shape)}`);
  // View the shape as [outer, along, inner]: the summed axis in the middle.
  const along = t.shape[axis];
  const inner = t.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outer = t.size / (along * inner);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < along; a++) {
      const src = (o * along + a) * inner;
      const dst = o * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += t.data[src + i];
    }
  }
  const shape = t.shape.filter((_, d) => d !== axis);
  return new Tensor(out, shape);
}

/** The mean over one axis, or over everything when `axis` is omitted. */
export function mean(t: Tensor, axis?: number): Tensor {
  const count = axis === undefined ? t.size : t.shape[axis];
  return scale(sum(t, axis), 1 / count);
}

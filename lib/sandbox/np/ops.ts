// np's functions: creation, broadcasting elementwise ops, reductions and linear algebra.
// Every error names the op and the shapes involved, because students read these messages.

import { ArrayIsArray, F64, isFloat64Array, NumberIsInteger, TypedArrayLength } from "../guest/intrinsics";
import { describe, formatShape, sizeOf, stridesOf, Tensor, toShape, type Shape } from "./tensor";

const { exp, log, sqrt, abs } = Math;

type Operand = Tensor | number;

function asTensor(v: unknown, op: string, arg: string): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === "number") return new Tensor([], [v]);
  throw new TypeError(`np.${op}: ${arg} must be a Tensor or a number, got ${describe(v)}`);
}

function requireTensor(v: unknown, op: string, arg = "argument"): Tensor {
  if (v instanceof Tensor) return v;
  throw new TypeError(`np.${op}: ${arg} must be a Tensor, got ${describe(v)}`);
}

function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// ---------- creation ----------

export function zeros(shape: number | number[]): Tensor {
  return new Tensor(toShape(shape, "np.zeros"));
}

export function ones(shape: number | number[]): Tensor {
  return full(shape, 1);
}

export function full(shape: number | number[], value: number): Tensor {
  const t = new Tensor(toShape(shape, "np.full"));
  if (typeof value !== "number") throw new TypeError(`np.full: value must be a number, got ${describe(value)}`);
  t.data.fill(value);
  return t;
}

export function zerosLike(t: Tensor): Tensor {
  return new Tensor(requireTensor(t, "zerosLike").shape);
}

export function onesLike(t: Tensor): Tensor {
  return full(requireTensor(t, "onesLike").shape as number[], 1);
}

/** From nested arrays (rectangular), a number (0-D) or a Tensor (copy). */
export function array(nested: unknown): Tensor {
  if (nested instanceof Tensor) return nested.clone();
  if (typeof nested === "number") return new Tensor([], [nested]);
  if (isFloat64Array(nested)) return new Tensor([TypedArrayLength(nested)], new F64(nested));
  if (!ArrayIsArray(nested)) throw new TypeError(`np.array: expected nested arrays of numbers, got ${describe(nested)}`);
  const shape: number[] = [];
  let level: unknown = nested;
  while (ArrayIsArray(level)) {
    shape[shape.length] = level.length;
    level = level.length > 0 ? level[0] : undefined;
  }
  const data = new F64(sizeOf(shape));
  let k = 0;
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v !== "number") throw new TypeError(`np.array: element at ${path || "[]"} is ${describe(v)}, expected a number`);
      data[k++] = v;
      return;
    }
    if (!ArrayIsArray(v) || v.length !== shape[dim])
      throw new RangeError(`np.array: ragged nested array at ${path || "top level"} (expected length ${shape[dim]})`);
    for (let i = 0; i < v.length; i++) walk(v[i], dim + 1, `${path}[${i}]`);
  };
  walk(nested, 0, "");
  return new Tensor(shape, data);
}

/** Wraps data (copied) in a Tensor of the given shape. */
export function fromData(shape: number[], data: ArrayLike<number>): Tensor {
  const s = toShape(shape, "np.fromData");
  if (data === null || typeof data !== "object" || typeof data.length !== "number")
    throw new TypeError(`np.fromData: data must be a Float64Array or an array of numbers, got ${describe(data)}`);
  if (data.length !== sizeOf(s))
    throw new RangeError(`np.fromData: data has ${data.length} elements but shape ${formatShape(s)} needs ${sizeOf(s)}`);
  const d = new F64(data.length);
  for (let i = 0; i < d.length; i++) d[i] = +data[i];
  return new Tensor(s, d);
}

// ---------- broadcasting ----------

function broadcastShape(a: Shape, b: Shape, op: string): number[] {
  const n = a.length > b.length ? a.length : b.length;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1)
      throw new RangeError(`np.${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` viewed inside `out` (0 along broadcast axes). */
function broadcastStrides(shape: Shape, out: Shape): number[] {
  const st = stridesOf(shape);
  const res: number[] = [];
  const lead = out.length - shape.length;
  for (let i = 0; i < out.length; i++) res[i] = i < lead || shape[i - lead] === 1 ? 0 : st[i - lead];
  return res;
}

function binary(op: string, a: Operand, b: Operand, f: (x: number, y: number) => number): Tensor {
  const ta = asTensor(a, op, "first argument");
  const tb = asTensor(b, op, "second argument");
  const A = ta.data;
  const B = tb.data;
  // Fast paths: same shape, scalar on either side.
  if (sameShape(ta.shape, tb.shape)) {
    const out = new F64(A.length);
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], B[i]);
    return new Tensor(ta.shape, out);
  }
  if (tb.size === 1 && tb.shape.length <= ta.shape.length) {
    const y = B[0];
    const out = new F64(A.length);
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], y);
    return new Tensor(broadcastShape(ta.shape, tb.shape, op), out);
  }
  if (ta.size === 1 && ta.shape.length <= tb.shape.length) {
    const x = A[0];
    const out = new F64(B.length);
    for (let i = 0; i < out.length; i++) out[i] = f(x, B[i]);
    return new Tensor(broadcastShape(ta.shape, tb.shape, op), out);
  }
  const shape = broadcastShape(ta.shape, tb.shape, op);
  const nd = shape.length;
  const size = sizeOf(shape);
  const out = new F64(size);
  if (size === 0) return new Tensor(shape, out);
  const sa = broadcastStrides(ta.shape, shape);
  const sb = broadcastStrides(tb.shape, shape);
  // Innermost axis runs as a tight loop; outer axes advance an odometer.
  const inner = shape[nd - 1];
  const ia = sa[nd - 1];
  const ib = sb[nd - 1];
  const idx: number[] = [];
  for (let i = 0; i < nd; i++) idx[i] = 0;
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < size; o += inner) {
    let pa = offA;
    let pb = offB;
    for (let j = 0; j < inner; j++, pa += ia, pb += ib) out[o + j] = f(A[pa], B[pb]);
    for (let ax = nd - 2; ax >= 0; ax--) {
      idx[ax]++;
      offA += sa[ax];
      offB += sb[ax];
      if (idx[ax] < shape[ax]) break;
      offA -= sa[ax] * shape[ax];
      offB -= sb[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
  return new Tensor(shape, out);
}

function unary(op: string, t: Tensor, f: (x: number) => number): Tensor {
  const x = requireTensor(t, op).data;
  const out = new F64(x.length);
  for (let i = 0; i < out.length; i++) out[i] = f(x[i]);
  return new Tensor(t.shape, out);
}

export const add = (a: Operand, b: Operand): Tensor => binary("add", a, b, (x, y) => x + y);
export const sub = (a: Operand, b: Operand): Tensor => binary("sub", a, b, (x, y) => x - y);
export const mul = (a: Operand, b: Operand): Tensor => binary("mul", a, b, (x, y) => x * y);
export const div = (a: Operand, b: Operand): Tensor => binary("div", a, b, (x, y) => x / y);
export const maximum = (a: Operand, b: Operand): Tensor =>
  binary("maximum", a, b, (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y));
export const minimum = (a: Operand, b: Operand): Tensor =>
  binary("minimum", a, b, (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y));

export const exp_ = (t: Tensor): Tensor => unary("exp", t, exp);
export const log_ = (t: Tensor): Tensor => unary("log", t, log);
export const sqrt_ = (t: Tensor): Tensor => unary("sqrt", t, sqrt);
export const abs_ = (t: Tensor): Tensor => unary("abs", t, abs);

export function map(t: Tensor, fn: (x: number, i: number) => number): Tensor {
  requireTensor(t, "map");
  if (typeof fn !== "function") throw new TypeError(`np.map: second argument must be a function, got ${describe(fn)}`);
  const x = t.data;
  const out = new F64(x.length);
  for (let i = 0; i < out.length; i++) out[i] = fn(x[i], i);
  return new Tensor(t.shape, out);
}

/** Copies `t` broadcast to `shape` (returns t.data itself when the shape already matches). */
function expand(t: Tensor, shape: number[], op: string): Float64Array {
  if (sameShape(t.shape, shape)) return t.data;
  broadcastShape(t.shape, shape, op);
  const st = broadcastStrides(t.shape, shape);
  const nd = shape.length;
  const size = sizeOf(shape);
  const out = new F64(size);
  const idx: number[] = [];
  for (let i = 0; i < nd; i++) idx[i] = 0;
  let off = 0;
  for (let o = 0; o < size; o++) {
    out[o] = t.data[off];
    for (let ax = nd - 1; ax >= 0; ax--) {
      idx[ax]++;
      off += st[ax];
      if (idx[ax] < shape[ax]) break;
      off -= st[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
  return out;
}

/** Elementwise choice like numpy: where cond is nonzero take a, else b. All three broadcast together. */
export function where(cond: Operand, a: Operand, b: Operand): Tensor {
  const tc = asTensor(cond, "where", "condition");
  const ta = asTensor(a, "where", "second argument");
  const tb = asTensor(b, "where", "third argument");
  const shape = broadcastShape(broadcastShape(tc.shape, ta.shape, "where"), tb.shape, "where");
  const C = expand(tc, shape, "where");
  const A = expand(ta, shape, "where");
  const B = expand(tb, shape, "where");
  const out = new F64(C.length);
  for (let i = 0; i < out.length; i++) out[i] = C[i] !== 0 ? A[i] : B[i];
  return new Tensor(shape, out);
}

// ---------- linear algebra ----------

export function matmul(a: Tensor, b: Tensor): Tensor {
  requireTensor(a, "matmul", "first argument");
  requireTensor(b, "matmul", "second argument");
  if (a.shape.length !== 2 || b.shape.length !== 2)
    throw new RangeError(`np.matmul: expects two 2-D Tensors, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const m = a.shape[0];
  const k = a.shape[1];
  const n = b.shape[1];
  if (b.shape[0] !== k)
    throw new RangeError(
      `np.matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not aligned (${k} != ${b.shape[0]})`,
    );
  const A = a.data;
  const B = b.data;
  const C = new F64(m * n);
  // i-k-j order: the inner loop walks rows of B and C contiguously. Four rows of C at a time reuse
  // each loaded B element four times (about 2x faster in V8); every C element still sums over k in
  // the same order as the plain loop, so results are bit-identical to it.
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    const r0 = i * k;
    for (let p = 0; p < k; p++) {
      const a0 = A[r0 + p];
      const a1 = A[r0 + k + p];
      const a2 = A[r0 + 2 * k + p];
      const a3 = A[r0 + 3 * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const bv = B[bp + j];
        C[c0 + j] += a0 * bv;
        C[c1 + j] += a1 * bv;
        C[c2 + j] += a2 * bv;
        C[c3 + j] += a3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p];
      const bp = p * n;
      for (let j = 0; j < n; j++) C[ci + j] += aip * B[bp + j];
    }
  }
  return new Tensor([m, n], C);
}

export function transpose(t: Tensor): Tensor {
  return requireTensor(t, "transpose").transpose();
}

/** Inner product of two 1-D Tensors of equal length (use matmul for matrices). */
export function dot(a: Tensor, b: Tensor): number {
  requireTensor(a, "dot", "first argument");
  requireTensor(b, "dot", "second argument");
  if (a.shape.length !== 1 || b.shape.length !== 1 || a.size !== b.size)
    throw new RangeError(
      `np.dot: expects two 1-D Tensors of the same length, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} (use np.matmul for matrices)`,
    );
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

export function outer(a: Tensor, b: Tensor): Tensor {
  requireTensor(a, "outer", "first argument");
  requireTensor(b, "outer", "second argument");
  const m = a.size;
  const n = b.size;
  const out = new F64(m * n);
  for (let i = 0; i < m; i++) {
    const ai = a.data[i];
    for (let j = 0; j < n; j++) out[i * n + j] = ai * b.data[j];
  }
  return new Tensor([m, n], out);
}

// ---------- reductions ----------

function normAxis(t: Tensor, axis: number, op: string): number {
  const nd = t.shape.length;
  if (typeof axis !== "number" || !NumberIsInteger(axis) || axis < -nd || axis >= nd)
    throw new RangeError(`np.${op}: axis ${String(axis)} is out of range for shape ${formatShape(t.shape)}`);
  return axis < 0 ? axis + nd : axis;
}

/**
 * Reduces along `axis` with (init, step, finish). Without an axis reduces everything to a number
 * (or to a Tensor of ones-shape with keepdims).
 */
function reduce(
  op: string,
  t: Tensor,
  axis: number | undefined | null,
  keepdims: boolean | undefined,
  init: number,
  step: (acc: number, x: number, i: number) => number,
  finish: (acc: number, n: number) => number,
  emptyError = false,
): Tensor | number {
  requireTensor(t, op);
  const x = t.data;
  if (axis === undefined || axis === null) {
    if (emptyError && t.size === 0) throw new RangeError(`np.${op}: cannot reduce an empty Tensor of shape ${formatShape(t.shape)}`);
    let acc = init;
    for (let i = 0; i < x.length; i++) acc = step(acc, x[i], i);
    const v = finish(acc, x.length);
    if (!keepdims) return v;
    const s: number[] = [];
    for (let i = 0; i < t.shape.length; i++) s[i] = 1;
    return new Tensor(s, [v]);
  }
  const ax = normAxis(t, axis, op);
  const shape = t.shape;
  const n = shape[ax];
  if (emptyError && n === 0) throw new RangeError(`np.${op}: cannot reduce over an empty axis of shape ${formatShape(shape)}`);
  let outer = 1;
  for (let i = 0; i < ax; i++) outer *= shape[i];
  let inner = 1;
  for (let i = ax + 1; i < shape.length; i++) inner *= shape[i];
  const out = new F64(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let acc = init;
      const base = o * n * inner + j;
      for (let i = 0; i < n; i++) acc = step(acc, x[base + i * inner], i);
      out[o * inner + j] = finish(acc, n);
    }
  }
  const outShape: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (i !== ax) outShape[outShape.length] = shape[i];
    else if (keepdims) outShape[outShape.length] = 1;
  }
  return new Tensor(outShape, out);
}

export function sum(t: Tensor): number;
export function sum(t: Tensor, axis: number, keepdims?: boolean): Tensor;
export function sum(t: Tensor, axis: null | undefined, keepdims: true): Tensor;
export function sum(t: Tensor, axis?: number | null, keepdims?: boolean): Tensor | number {
  return reduce("sum", t, axis, keepdims, 0, (a, x) => a + x, (a) => a);
}

export function mean(t: Tensor): number;
export function mean(t: Tensor, axis: number, keepdims?: boolean): Tensor;
export function mean(t: Tensor, axis: null | undefined, keepdims: true): Tensor;
export function mean(t: Tensor, axis?: number | null, keepdims?: boolean): Tensor | number {
  return reduce("mean", t, axis, keepdims, 0, (a, x) => a + x, (a, n) => a / n, true);
}

export function max(t: Tensor): number;
export function max(t: Tensor, axis: number, keepdims?: boolean): Tensor;
export function max(t: Tensor, axis: null | undefined, keepdims: true): Tensor;
export function max(t: Tensor, axis?: number | null, keepdims?: boolean): Tensor | number {
  return reduce("max", t, axis, keepdims, -Infinity, (a, x) => (a !== a || x !== x ? NaN : x > a ? x : a), (a) => a, true);
}

/** Index of the (first) maximum: flat index without axis, indices along the axis otherwise. */
export function argmax(t: Tensor): number;
export function argmax(t: Tensor, axis: number): Tensor;
export function argmax(t: Tensor, axis?: number | null): Tensor | number {
  requireTensor(t, "argmax");
  const x = t.data;
  // Track best value per lane in a closure-free way: reduce over (value, index) by scanning twice.
  if (axis === undefined || axis === null) {
    if (t.size === 0) throw new RangeError(`np.argmax: cannot reduce an empty Tensor of shape ${formatShape(t.shape)}`);
    let best = 0;
    for (let i = 1; i < x.length; i++) if (x[i] > x[best] || (x[i] !== x[i] && x[best] === x[best])) best = i;
    return best;
  }
  const ax = normAxis(t, axis, "argmax");
  const shape = t.shape;
  const n = shape[ax];
  if (n === 0) throw new RangeError(`np.argmax: cannot reduce over an empty axis of shape ${formatShape(shape)}`);
  let outer = 1;
  for (let i = 0; i < ax; i++) outer *= shape[i];
  let inner = 1;
  for (let i = ax + 1; i < shape.length; i++) inner *= shape[i];
  const out = new F64(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let best = 0;
      for (let i = 1; i < n; i++) {
        const v = x[base + i * inner];
        const b = x[base + best * inner];
        if (v > b || (v !== v && b === b)) best = i;
      }
      out[o * inner + j] = best;
    }
  }
  const outShape: number[] = [];
  for (let i = 0; i < shape.length; i++) if (i !== ax) outShape[outShape.length] = shape[i];
  return new Tensor(outShape, out);
}

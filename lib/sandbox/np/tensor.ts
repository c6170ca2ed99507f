// The Tensor class students see inside the sandbox: a row-major view of a Float64Array.
//
// This file is bundled (with the rest of np/ and the guest prelude) into one script that runs in
// every isolate BEFORE student code. Student code may later replace globals and prototypes, so the
// built-ins np relies on are captured here at load time, and loops use plain indexing instead of
// Array.prototype methods.

import {
  ArrayIsArray,
  F64,
  isFloat64Array,
  NumberIsInteger,
  ObjectDefineProperty,
  ObjectFreeze,
  StringCtor as StringOf,
  TypedArrayLength,
} from "../guest/intrinsics";

const MathMin = Math.min;

/** Called with every Tensor the constructor completes, so the prelude can brand-check outputs. */
let registerTensor: (t: Tensor) => void = () => {};
export function setTensorRegistrar(fn: (t: Tensor) => void): void {
  registerTensor = fn;
}

export type Shape = readonly number[];

export function formatShape(shape: ArrayLike<number>): string {
  let s = "[";
  for (let i = 0; i < shape.length; i++) s += (i ? "," : "") + StringOf(shape[i]);
  return s + "]";
}

/** Copies and validates a shape given by a student: non-negative integers only. */
export function toShape(shape: unknown, op: string): number[] {
  if (typeof shape === "number") shape = [shape];
  if (!ArrayIsArray(shape) && !isFloat64Array(shape)) throw new TypeError(`${op}: shape must be an array of integers, got ${describe(shape)}`);
  const src = shape as ArrayLike<unknown>;
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const d = src[i];
    if (typeof d !== "number" || !NumberIsInteger(d) || d < 0)
      throw new TypeError(`${op}: shape entries must be non-negative integers, got ${formatShape(src as number[])}`);
    out[out.length] = d;
  }
  return out;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (ArrayIsArray(v)) return "an array (use np.array(...) to make a Tensor)";
  if (v instanceof Tensor) return `a Tensor of shape ${formatShape(v.shape)}`;
  return typeof v === "object" ? "an object" : `${typeof v}`;
}

export class Tensor {
  /** Dimensions, outermost first. Frozen. */
  declare readonly shape: readonly number[];
  /** Row-major element storage (length === size). Elements may be written. */
  declare readonly data: Float64Array;
  /** Number of elements: product of shape. */
  declare readonly size: number;

  constructor(shape: ArrayLike<number>, data?: ArrayLike<number>) {
    const s = toShape(shape, "Tensor");
    const size = sizeOf(s);
    let d: Float64Array;
    if (data === undefined) d = new F64(size);
    else if (isFloat64Array(data) && TypedArrayLength(data) === size) d = data;
    else {
      if (data === null || typeof data !== "object" || typeof data.length !== "number")
        throw new TypeError(`Tensor: data must be a Float64Array or an array of numbers, got ${describe(data)}`);
      if (data.length !== size)
        throw new RangeError(`Tensor: data has ${data.length} elements but shape ${formatShape(s)} needs ${size}`);
      d = new F64(size);
      for (let i = 0; i < size; i++) d[i] = +data[i];
    }
    // Non-writable, non-configurable own properties: student code cannot swap them for getters or
    // Proxies, so the prelude can read them safely when packing outputs.
    ObjectDefineProperty(this, "shape", { value: ObjectFreeze(s), enumerable: true });
    ObjectDefineProperty(this, "data", { value: d, enumerable: true });
    ObjectDefineProperty(this, "size", { value: size, enumerable: true });
    registerTensor(this);
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  get(...idx: number[]): number {
    return this.data[offsetOf(this.shape, idx, "Tensor.get")];
  }

  set(...idxAndValue: number[]): void {
    const n = idxAndValue.length - 1;
    const idx: number[] = [];
    for (let i = 0; i < n; i++) idx[i] = idxAndValue[i];
    this.data[offsetOf(this.shape, idx, "Tensor.set")] = +idxAndValue[n];
  }

  reshape(shape: readonly number[]): Tensor;
  reshape(...shape: number[]): Tensor;
  reshape(...shape: Array<number | readonly number[]>): Tensor {
    const req = shape.length === 1 && ArrayIsArray(shape[0]) ? (shape[0] as number[]) : (shape as number[]);
    const s: number[] = [];
    let infer = -1;
    let known = 1;
    for (let i = 0; i < req.length; i++) {
      const d = req[i];
      if (d === -1 && infer < 0) {
        infer = i;
        s[i] = 0;
        continue;
      }
      if (typeof d !== "number" || !NumberIsInteger(d) || d < 0)
        throw new TypeError(`reshape: invalid shape ${formatShape(req)}`);
      s[i] = d;
      known *= d;
    }
    if (infer >= 0) {
      if (known === 0 || this.size % known !== 0)
        throw new RangeError(`reshape: cannot reshape Tensor of shape ${formatShape(this.shape)} into ${formatShape(req)}`);
      s[infer] = this.size / known;
    }
    if (sizeOf(s) !== this.size)
      throw new RangeError(`reshape: cannot reshape Tensor of shape ${formatShape(this.shape)} (size ${this.size}) into ${formatShape(s)}`);
    return new Tensor(s, this.data); // shares data, like numpy's reshape view
  }

  /** Transpose (copy). 2-D swaps rows and columns; N-D reverses the axes; 0-D/1-D copy. */
  transpose(): Tensor {
    const shape = this.shape;
    const nd = shape.length;
    if (nd < 2) return this.clone();
    if (nd === 2) {
      const m = shape[0];
      const n = shape[1];
      const src = this.data;
      const out = new F64(m * n);
      // Blocked to stay cache-friendly for large matrices.
      const B = 32;
      for (let i0 = 0; i0 < m; i0 += B) {
        const i1 = MathMin(i0 + B, m);
        for (let j0 = 0; j0 < n; j0 += B) {
          const j1 = MathMin(j0 + B, n);
          for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * m + i] = src[i * n + j];
        }
      }
      return new Tensor([n, m], out);
    }
    const outShape: number[] = [];
    for (let i = 0; i < nd; i++) outShape[i] = shape[nd - 1 - i];
    const inStrides = stridesOf(shape);
    const out = new F64(this.size);
    const idx: number[] = [];
    for (let i = 0; i < nd; i++) idx[i] = 0;
    for (let flat = 0; flat < this.size; flat++) {
      // idx enumerates the OUTPUT position; its reverse is the input position.
      let off = 0;
      for (let a = 0; a < nd; a++) off += idx[a] * inStrides[nd - 1 - a];
      out[flat] = this.data[off];
      for (let a = nd - 1; a >= 0; a--) {
        if (++idx[a] < outShape[a]) break;
        idx[a] = 0;
      }
    }
    return new Tensor(outShape, out);
  }

  /** Transposed copy (same as transpose()). */
  get T(): Tensor {
    return this.transpose();
  }

  /** Deep copy with its own data. */
  clone(): Tensor {
    return new Tensor(this.shape, new F64(this.data));
  }

  /** Nested plain arrays (numbers for 0-D). */
  toArray(): any {
    if (this.shape.length === 0) return this.data[0];
    const build = (dim: number, off: number): unknown[] => {
      const n = this.shape[dim];
      const out: unknown[] = [];
      if (dim === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = this.data[off + i];
        return out;
      }
      let inner = 1;
      for (let k = dim + 1; k < this.shape.length; k++) inner *= this.shape[k];
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, off + i * inner);
      return out;
    };
    return build(0, 0);
  }

  toString(): string {
    const max = 8;
    let s = "";
    for (let i = 0; i < this.size && i < max; i++) s += (i ? ", " : "") + StringOf(this.data[i]);
    if (this.size > max) s += ", …";
    return `Tensor(shape=${formatShape(this.shape)}, data=[${s}])`;
  }
}

/** Row-major flat offset of a (possibly negative) multi-index, bounds-checked. */
function offsetOf(shape: Shape, idx: ArrayLike<number>, op: string): number {
  if (idx.length !== shape.length)
    throw new RangeError(`${op}: Tensor of shape ${formatShape(shape)} needs ${shape.length} indices, got ${idx.length}`);
  let off = 0;
  for (let i = 0; i < shape.length; i++) {
    let k = idx[i];
    if (k < 0) k += shape[i];
    if (!NumberIsInteger(k) || k < 0 || k >= shape[i])
      throw new RangeError(`${op}: index ${formatShape(idx)} is out of bounds for shape ${formatShape(shape)}`);
    off = off * shape[i] + k;
  }
  return off;
}

export function stridesOf(shape: Shape): number[] {
  const st: number[] = [];
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i];
  }
  return st;
}

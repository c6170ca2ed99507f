// A tensor is a flat Float64Array plus a shape, laid out row-major: the last
// index moves fastest, so row i of an [N, k] matrix is data[i·k … i·k + k).
// float64 throughout, because the grader compares to 1e-10 and float32 cannot.

import { formatShape, NnError, NonFiniteError, ShapeError } from "./errors";
import type { Rng } from "./rng";

/** Nested arrays of numbers, as written in a test or an exercise: [[1, 2], [3, 4]]. */
export type NestedArray = number | NestedArray[];

export class Tensor {
  readonly data: Float64Array;
  readonly shape: readonly number[];

  /** Wraps `data` (not copied) with `shape`; the sizes must agree and no dimension may be 0. */
  constructor(data: Float64Array, shape: readonly number[]) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new ShapeError(`Tensor: invalid shape ${formatShape(shape)}`);
    }
    const size = shapeSize(shape);
    // An empty tensor has no entries to check and no mean: reject it here rather than
    // let it surface later as a 0/0 = NaN.
    if (size === 0) throw new NnError(`Tensor: empty tensors are not supported (shape ${formatShape(shape)})`);
    if (data.length !== size)
      throw new ShapeError(`Tensor: ${data.length} values cannot fill shape ${formatShape(shape)} (needs ${size})`);
    this.data = data;
    this.shape = Object.freeze([...shape]);
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  static zeros(shape: readonly number[]): Tensor {
    return new Tensor(new Float64Array(shapeSizeOrThrow(shape, "zeros")), shape);
  }

  static ones(shape: readonly number[]): Tensor {
    return Tensor.full(shape, 1);
  }

  static full(shape: readonly number[], value: number): Tensor {
    return new Tensor(new Float64Array(shapeSizeOrThrow(shape, "full")).fill(value), shape);
  }

  static scalar(value: number): Tensor {
    return new Tensor(Float64Array.of(value), []);
  }

  /** From nested arrays; the shape is read off the nesting and must be rectangular. */
  static from(values: NestedArray): Tensor {
    const shape: number[] = [];
    for (let level: NestedArray = values; Array.isArray(level); level = level[0]) {
      shape.push(level.length);
      if (level.length === 0) break;
    }
    const flat: number[] = [];
    const walk = (node: NestedArray, depth: number, path: number[]) => {
      if (depth === shape.length) {
        if (typeof node !== "number")
          throw new ShapeError(`Tensor.from: ragged nesting at index ${formatShape(path)}: expected a number`);
        flat.push(node);
        return;
      }
      if (!Array.isArray(node) || node.length !== shape[depth])
        throw new ShapeError(
          `Tensor.from: ragged nesting at index ${formatShape(path)}: expected ${shape[depth]} entries, inferred shape ${formatShape(shape)}`,
        );
      node.forEach((child, i) => walk(child, depth + 1, [...path, i]));
    };
    walk(values, 0, []);
    const t = new Tensor(Float64Array.from(flat), shape);
    assertFinite(t, "Tensor.from");
    return t;
  }

  /** Entries drawn from N(mean, std²) with a seeded generator. */
  static randn(shape: readonly number[], rng: Rng, std = 1, mean = 0): Tensor {
    const t = Tensor.zeros(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = rng.normal(mean, std);
    return t;
  }

  /** Entries uniform in [low, high) with a seeded generator. */
  static rand(shape: readonly number[], rng: Rng, low = 0, high = 1): Tensor {
    const t = Tensor.zeros(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = rng.uniform(low, high);
    return t;
  }

  /** Uniform in [low, high) but at least `margin` from each kink (0 by default): inputs for gradient checks. */
  static randAwayFromKinks(
    shape: readonly number[],
    rng: Rng,
    { low = -1, high = 1, kinks = [0], margin = 1e-3 }: { low?: number; high?: number; kinks?: readonly number[]; margin?: number } = {},
  ): Tensor {
    const t = Tensor.zeros(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = rng.uniformAwayFrom(low, high, kinks, margin);
    return t;
  }

  /** The value at a multi-index, e.g. t.get(2, 5) for row 2, column 5. */
  get(...index: number[]): number {
    return this.data[flatIndex(this.shape, index)];
  }

  set(index: readonly number[], value: number): void {
    this.data[flatIndex(this.shape, index)] = value;
  }

  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape);
  }

  /** Same data, another shape of the same size. */
  reshape(shape: readonly number[]): Tensor {
    if (shapeSize(shape) !== this.size)
      throw new ShapeError(`reshape: cannot view shape ${formatShape(this.shape)} as ${formatShape(shape)}`);
    return new Tensor(this.data, shape);
  }

  /** Back to nested arrays (a scalar tensor gives a number). */
  toArray(): NestedArray {
    const build = (depth: number, offset: number): NestedArray => {
      if (depth === this.shape.length) return this.data[offset];
      const stride = shapeSize(this.shape.slice(depth + 1));
      return Array.from({ length: this.shape[depth] }, (_, i) => build(depth + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  toString(): string {
    return `Tensor${formatShape(this.shape)} ${JSON.stringify(this.toArray())}`;
  }
}

export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

function shapeSizeOrThrow(shape: readonly number[], op: string): number {
  const size = shapeSize(shape);
  if (!(size > 0)) throw new NnError(`${op}: empty tensors are not supported (shape ${formatShape(shape)})`);
  return size;
}

export const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Row-major offset of a multi-index; throws on a wrong rank or an index out of range. */
export function flatIndex(shape: readonly number[], index: readonly number[]): number {
  if (index.length !== shape.length)
    throw new ShapeError(`index ${formatShape(index)} has ${index.length} entries but the shape ${formatShape(shape)} has rank ${shape.length}`);
  let offset = 0;
  for (let d = 0; d < shape.length; d++) {
    const i = index[d];
    if (!Number.isInteger(i) || i < 0 || i >= shape[d])
      throw new ShapeError(`index ${formatShape(index)} is out of range for shape ${formatShape(shape)}`);
    offset = offset * shape[d] + i;
  }
  return offset;
}

/** The multi-index of a row-major offset: the inverse of flatIndex. */
export function unflatIndex(shape: readonly number[], offset: number): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = offset % shape[d];
    offset = Math.floor(offset / shape[d]);
  }
  return index;
}

/**
 * Throws if any entry is NaN or ±Infinity, naming where it is. Called where data
 * enters the engine (layers, losses, creation from arrays), so bad input is caught
 * at the door instead of turning every later number into NaN.
 */
export function assertFinite(t: Tensor, where: string): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]))
      throw new NonFiniteError(`${where}: entry ${formatShape(unflatIndex(t.shape, i))} is ${d[i]} (shape ${formatShape(t.shape)})`);
  }
}

/** Throws a ShapeError naming the operation and both shapes unless they are equal. */
export function assertSameShape(a: Tensor, b: Tensor, op: string): void {
  if (!sameShape(a.shape, b.shape))
    throw new ShapeError(`${op}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not match`);
}

export function assertRank(t: Tensor, rank: number, op: string, what = "input"): void {
  if (t.rank !== rank)
    throw new ShapeError(`${op}: ${what} must have rank ${rank}, got shape ${formatShape(t.shape)}`);
}

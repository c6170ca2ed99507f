// Lectern's `np`: a small numpy-like Tensor API available to your code as globals (`np`, `Tensor`).
// Tensors are dense, row-major, float64. Shapes are arrays of dimensions, outermost first:
// a batch of 64 vectors of length 784 has shape [64, 784].
// Hand-maintained; a unit test checks it matches the implementation in lib/sandbox/np.

/** An n-dimensional array of float64 numbers stored row-major in `data`. */
declare class Tensor {
  /**
   * Creates a Tensor. Prefer `np.zeros`, `np.array` or `np.fromData`.
   * @param shape dimensions, e.g. `[2, 3]`
   * @param data optional elements in row-major order (`shape` product many); zeros if omitted.
   * A Float64Array of the right length is used as is (not copied).
   */
  constructor(shape: ArrayLike<number>, data?: ArrayLike<number>);
  /** Dimensions, outermost first, e.g. `[64, 784]`. `[]` for a scalar (0-D) Tensor. */
  readonly shape: readonly number[];
  /** The elements in row-major order: element `[i, j]` of an m×n Tensor is `data[i * n + j]`. You may write to it. */
  readonly data: Float64Array;
  /** Number of elements (product of `shape`). */
  readonly size: number;
  /** Number of dimensions (`shape.length`). */
  readonly ndim: number;
  /**
   * Reads one element. Negative indices count from the end.
   * @example x.get(0, 2) // row 0, column 2
   */
  get(...idx: number[]): number;
  /**
   * Writes one element: the indices, then the value.
   * @example x.set(0, 2, 1.5) // x[0, 2] = 1.5
   */
  set(...idxAndValue: number[]): void;
  /**
   * Same data, new shape (shares `data`, like numpy). One dimension may be -1 (inferred).
   * @example x.reshape(2, -1)   x.reshape([6])
   */
  reshape(shape: readonly number[]): Tensor;
  reshape(...shape: number[]): Tensor;
  /** Transposed copy: swaps rows and columns of a 2-D Tensor (reverses the axes in general). */
  transpose(): Tensor;
  /** Transposed copy, same as `transpose()`. @example np.matmul(x.T, dout) */
  readonly T: Tensor;
  /** Independent copy with its own data. */
  clone(): Tensor;
  /** Nested plain arrays (a number for a 0-D Tensor). */
  toArray(): any;
  /** Short description with the shape and the first elements. */
  toString(): string;
}

/** Lectern's numpy-like functions. Elementwise ops broadcast like numpy. */
declare namespace np {
  // ---- creation ----
  /** Tensor of zeros. @example np.zeros([2, 3]) */
  function zeros(shape: number | number[]): Tensor;
  /** Tensor of ones. @example np.ones([3]) */
  function ones(shape: number | number[]): Tensor;
  /** Tensor filled with `value`. @example np.full([2, 2], 0.5) */
  function full(shape: number | number[], value: number): Tensor;
  /** Tensor from nested arrays (must be rectangular), a number (0-D) or a Tensor (copied). @example np.array([[1, 2], [3, 4]]) */
  function array(nested: unknown): Tensor;
  /** Zeros with the same shape as `t`. */
  function zerosLike(t: Tensor): Tensor;
  /** Ones with the same shape as `t`. */
  function onesLike(t: Tensor): Tensor;
  /** Tensor of the given shape from flat row-major data (copied). @example np.fromData([2, 2], [1, 2, 3, 4]) */
  function fromData(shape: number[], data: ArrayLike<number>): Tensor;

  // ---- elementwise (with broadcasting: scalars, [n] or [1, n] rows, [m, 1] columns against [m, n]) ----
  /** a + b elementwise, with broadcasting. @example np.add(np.matmul(x, W), b) // b has shape [n] */
  function add(a: Tensor | number, b: Tensor | number): Tensor;
  /** a - b elementwise, with broadcasting. */
  function sub(a: Tensor | number, b: Tensor | number): Tensor;
  /** a * b elementwise (not matrix product: see `matmul`), with broadcasting. */
  function mul(a: Tensor | number, b: Tensor | number): Tensor;
  /** a / b elementwise, with broadcasting. */
  function div(a: Tensor | number, b: Tensor | number): Tensor;
  /** Elementwise maximum, with broadcasting (NaN if either is NaN). @example np.maximum(z, 0) // ReLU */
  function maximum(a: Tensor | number, b: Tensor | number): Tensor;
  /** Elementwise minimum, with broadcasting (NaN if either is NaN). */
  function minimum(a: Tensor | number, b: Tensor | number): Tensor;
  /** e^x elementwise. */
  function exp(t: Tensor): Tensor;
  /** Natural logarithm elementwise. */
  function log(t: Tensor): Tensor;
  /** Square root elementwise. */
  function sqrt(t: Tensor): Tensor;
  /** Absolute value elementwise. */
  function abs(t: Tensor): Tensor;
  /** Applies `fn` to every element (`i` is the flat index). @example np.map(z, v => 1 / (1 + Math.exp(-v))) */
  function map(t: Tensor, fn: (x: number, i: number) => number): Tensor;
  /**
   * Elementwise choice: where `cond` is nonzero take `a`, otherwise `b`. All three broadcast.
   * @example np.where(np.map(z, v => (v > 0 ? 1 : 0)), dout, 0) // ReLU backward
   */
  function where(cond: Tensor | number, a: Tensor | number, b: Tensor | number): Tensor;

  // ---- linear algebra ----
  /** Matrix product of 2-D Tensors: [m, k] × [k, n] → [m, n]. @example np.matmul(x, W) */
  function matmul(a: Tensor, b: Tensor): Tensor;
  /** Transposed copy (same as `t.T`). */
  function transpose(t: Tensor): Tensor;
  /** Inner product of two 1-D Tensors of the same length. */
  function dot(a: Tensor, b: Tensor): number;
  /** Outer product of two 1-D Tensors: [m] and [n] → [m, n]. */
  function outer(a: Tensor, b: Tensor): Tensor;

  // ---- reductions (axis may be negative; keepdims keeps the reduced axis with length 1) ----
  /** Sum of all elements. */
  function sum(t: Tensor): number;
  /** Sum along `axis`. @example np.sum(dout, 0) // [m, n] → [n], e.g. the bias gradient */
  function sum(t: Tensor, axis: number, keepdims?: boolean): Tensor;
  /** Sum of all elements, as a Tensor with every axis kept at length 1. */
  function sum(t: Tensor, axis: null | undefined, keepdims: true): Tensor;
  /** Mean of all elements. */
  function mean(t: Tensor): number;
  /** Mean along `axis`. @example np.mean(x, 1, true) // [m, n] → [m, 1] */
  function mean(t: Tensor, axis: number, keepdims?: boolean): Tensor;
  /** Mean of all elements, as a Tensor with every axis kept at length 1. */
  function mean(t: Tensor, axis: null | undefined, keepdims: true): Tensor;
  /** Largest element (NaN if any is NaN). */
  function max(t: Tensor): number;
  /** Largest elements along `axis`. @example np.max(logits, 1, true) // for a stable softmax */
  function max(t: Tensor, axis: number, keepdims?: boolean): Tensor;
  /** Largest element, as a Tensor with every axis kept at length 1. */
  function max(t: Tensor, axis: null | undefined, keepdims: true): Tensor;
  /** Flat index of the largest element (first one on ties). */
  function argmax(t: Tensor): number;
  /** Indices of the largest elements along `axis`. @example np.argmax(scores, 1) // predicted class per row */
  function argmax(t: Tensor, axis: number): Tensor;
}

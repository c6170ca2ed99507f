// Evaluates a program (program.ts) on one case, float64, with np's broadcasting. Unlike lib/nn it lets
// NaN and ∞ through: a naive formula must overflow here exactly where the student's does. Shape
// mismatches throw (a mutation that does not fit a case's shapes is simply not a candidate there).

import { matmul as nnMatmul, sigmoid, transpose as nnTranspose, ShapeError, Tensor } from "@/lib/nn";
import type { GradingCase } from "../model";
import type { DerivativeVariant, Expr, Program, Reduce } from "./program";

/** The value at a kink: the lecture's 1 (ReLU′(0) = step(0) = 1) or PyTorch's 0. Both are right answers. */
export type Kink = 0 | 1;

/**
 * Thrown when an expression does not fit a case's shapes. One object for every misfit: most slips misfit
 * some case, and building an Error (its stack trace) for each cost more than evaluating the slips.
 */
export const MISFIT = new ShapeError("a slip that does not fit this case's shapes");

/** Every symbol's value on a case; a mutation's values fall back to the unmutated ones it did not change. */
export type Values = { get(name: string): Tensor | undefined };

const make = (data: Float64Array, shape: readonly number[]) => new Tensor(data, shape);
const scalar = (v: number) => Tensor.scalar(v);

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function broadcast(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const same = sameShape(a.shape, b.shape);
  if (same || a.size === 1 || b.size === 1) {
    const big = same || b.size === 1 ? a : b;
    const out = new Float64Array(big.size);
    for (let i = 0; i < out.length; i++) out[i] = f(a.size === 1 && !same ? a.data[0] : a.data[i], b.size === 1 && !same ? b.data[0] : b.data[i]);
    return make(out, big.shape);
  }
  // A row [k] (or [1, k]) against a matrix [n, k], either way round: np's one broadcast here.
  const [m, r] = a.shape.length === 2 ? [a, b] : [b, a];
  const k = m.shape[1];
  if (m.shape.length === 2 && r.size === k && (r.shape.length === 1 || (r.shape.length === 2 && r.shape[0] === 1))) {
    const out = new Float64Array(m.size);
    for (let i = 0; i < m.size; i++) out[i] = m === a ? f(m.data[i], r.data[i % k]) : f(r.data[i % k], m.data[i]);
    return make(out, m.shape);
  }
  // A column [n, 1] against a matrix [n, k].
  if (m.shape.length === 2 && r.shape.length === 2 && r.shape[1] === 1 && r.shape[0] === m.shape[0]) {
    const out = new Float64Array(m.size);
    for (let i = 0; i < m.size; i++) out[i] = m === a ? f(m.data[i], r.data[Math.floor(i / k)]) : f(r.data[Math.floor(i / k)], m.data[i]);
    return make(out, m.shape);
  }
  throw MISFIT;
}

/** The terms of a sum over `n` items that a reduction keeps, and what it divides by. */
function reduction(n: number, reduce: Reduce = "sum"): { from: number; to: number; divide: number } {
  switch (reduce) {
    case "sum":
      return { from: 0, to: n, divide: 1 };
    case "mean":
      return { from: 0, to: n, divide: n };
    case "first":
      return { from: 0, to: 1, divide: 1 };
    case "last":
      return { from: n - 1, to: n, divide: 1 };
    case "skip-first":
      return { from: 1, to: n, divide: 1 };
    case "skip-last":
      return { from: 0, to: n - 1, divide: 1 };
  }
}

function matmul(a: Tensor, b: Tensor, reduce?: Reduce): Tensor {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[0]) throw MISFIT;
  if (!reduce || reduce === "sum") return nnMatmul(a, b);
  const [m, k] = a.shape;
  const n = b.shape[1];
  const { from, to, divide } = reduction(k, reduce);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = from; t < to; t++) s += a.data[i * k + t] * b.data[t * n + j];
      out[i * n + j] = s / divide;
    }
  return make(out, [m, n]);
}

function sum(t: Tensor, axis: number | null, keepdims = false, reduce?: Reduce): Tensor {
  if (axis === null) {
    const { from, to, divide } = reduction(t.size, reduce);
    let s = 0;
    for (let i = from; i < to; i++) s += t.data[i];
    return keepdims ? make(Float64Array.of(s / divide), t.shape.map(() => 1)) : scalar(s / divide);
  }
  if (axis >= t.shape.length) throw MISFIT;
  const along = t.shape[axis];
  const inner = t.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
  const outer = t.size / (along * inner);
  const { from, to, divide } = reduction(along, reduce);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let a = from; a < to; a++) for (let i = 0; i < inner; i++) out[o * inner + i] += t.data[(o * along + a) * inner + i];
  if (divide !== 1) for (let i = 0; i < out.length; i++) out[i] /= divide;
  const shape = keepdims ? t.shape.map((d, i) => (i === axis ? 1 : d)) : t.shape.filter((_, i) => i !== axis);
  return shape.length ? make(out, shape) : scalar(out[0]);
}

const transpose = (t: Tensor) => (t.shape.length === 2 ? nnTranspose(t) : t);

/** A leaky ReLU's slope for z < 0 when the program does not say: PyTorch's default. */
export const LEAKY_SLOPE = 0.01;

function activation(fn: string, z: number, kink: Kink, naive = false, slope = LEAKY_SLOPE): number {
  switch (fn) {
    case "sigmoid":
      return naive ? Math.exp(z) / (1 + Math.exp(z)) : sigmoid(z);
    case "relu":
      return z > 0 ? z : 0;
    case "step":
      return z > 0 || (z === 0 && kink === 1) ? 1 : 0;
    case "tanh":
      return Math.tanh(z);
    case "sign":
      return Math.sign(z);
    case "abs":
      return Math.abs(z);
    case "leaky":
      return z > 0 ? z : slope * z;
    case "min":
      return z < 0 ? z : 0;
    case "plus-minus":
      return z > 0 || (z === 0 && kink === 1) ? 1 : -1;
    default:
      return z;
  }
}

const reluPrime = (x: number, kink: Kink) => (x > 0 || (x === 0 && kink === 1) ? 1 : 0);

/** One entry of g′: exported so the generic detectors can name an extra or missing local derivative. */
export function derivativeAt(fn: "sigmoid" | "relu" | "step", v: DerivativeVariant | undefined, zi: number, ai: number, ui: number, kink: Kink, slope: number): number {
  switch (fn) {
    case "sigmoid":
      switch (v) {
        case "a":
          return ai;
        case "one-minus-a":
          return 1 - ai;
        case "from-z":
          return zi * (1 - zi);
        case "of-a":
          return sigmoid(ai) * (1 - sigmoid(ai));
        case "a-one-minus-z":
          return ai * (1 - zi);
        case "one":
          return 1;
        case "squared":
          return (ai * (1 - ai)) ** 2;
        case "tanh":
          return 1 - ai * ai;
        case "one-plus-a":
          return ai * (1 + ai);
        case "naive": {
          const s = Math.exp(zi) / (1 + Math.exp(zi));
          return s * (1 - s);
        }
        default:
          return ai * (1 - ai);
      }
    case "relu":
      switch (v) {
        case "a":
          return ai;
        case "z":
          return zi;
        case "inverted":
          return 1 - reluPrime(zi, kink);
        case "upstream-sign":
          return ui > 0 ? 1 : 0;
        case "one":
          return 1;
        case "sign":
          return Math.sign(zi);
        case "leaky":
          return reluPrime(zi, kink) || slope;
        default:
          return reluPrime(zi, kink);
      }
    case "step":
      return v === "a" ? ai : v === "one" ? 1 : v === "relu" ? reluPrime(zi, kink) : 0;
  }
}

function derivative(e: Extract<Expr, { op: "dact" }>, z: Tensor, a: Tensor, up: Tensor | undefined, kink: Kink): Tensor {
  if (a.size !== z.size || (up && up.size !== z.size)) throw MISFIT;
  const out = new Float64Array(z.size);
  const slope = e.slope ?? LEAKY_SLOPE;
  for (let i = 0; i < z.size; i++) out[i] = derivativeAt(e.fn, e.variant, z.data[i], a.data[i], up ? up.data[i] : 0, kink, slope);
  return make(out, z.shape);
}

/**
 * Each entry's shift before exponentiating: its row's maximum (the stable softmax), nothing (naive), the
 * batch's maximum, or its column's maximum (np.max over the wrong axis). Row-major [n, k] data.
 */
function shifts(m: Tensor, variant: string | undefined): (i: number, j: number) => number {
  const [n, k] = m.shape;
  if (variant === "naive") return () => 0;
  if (variant === "global-max") {
    let max = -Infinity;
    for (const x of m.data) max = Math.max(max, x);
    return () => max;
  }
  const byColumn = variant === "column-max";
  const max = new Float64Array(byColumn ? k : n).fill(-Infinity);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) max[byColumn ? j : i] = Math.max(max[byColumn ? j : i], m.data[i * k + j]);
  return byColumn ? (_i, j) => max[j] : (i) => max[i];
}

/**
 * "batch-sum": each row shifted by its own maximum (as the lecture does), the exponentials then normalised
 * by each column's sum (np.sum over axis 0): e^{z_nk − m_n} / Σ_j e^{z_jk − m_j}, and its log.
 */
function batchSum(t: Tensor, log: boolean): Tensor {
  const [n, k] = t.shape;
  const shift = shifts(t, undefined);
  const total = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) total[j] += Math.exp(t.data[i * k + j] - shift(i, j));
  const out = new Float64Array(t.size);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) {
      const x = t.data[i * k + j] - shift(i, j);
      out[i * k + j] = log ? x - Math.log(total[j]) : Math.exp(x) / total[j];
    }
  return make(out, t.shape);
}

/** softmax, or log softmax, along `axis`; `reduce` picks which classes the normalising sum adds up. */
function normalised(t: Tensor, axis: 0 | 1, variant: string | undefined, reduce: Reduce | undefined, log: boolean): Tensor {
  if (t.shape.length !== 2) throw MISFIT;
  if (variant === "batch-sum") return batchSum(t, log);
  const m = axis === 1 ? t : transpose(t);
  const [n, k] = m.shape;
  const shift = shifts(m, variant);
  const { from, to } = reduction(k, reduce);
  const out = new Float64Array(m.size);
  // "sum-all": one normalising sum over every entry of the batch (np.sum without an axis).
  let everything = 0;
  if (variant === "sum-all") for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) everything += Math.exp(m.data[i * k + j] - shift(i, j));
  for (let i = 0; i < n; i++) {
    let total = variant === "sum-all" ? everything : 0;
    if (variant !== "sum-all") for (let j = from; j < to; j++) total += Math.exp(m.data[i * k + j] - shift(i, j));
    for (let j = 0; j < k; j++) {
      const x = m.data[i * k + j] - shift(i, j);
      // log-sum-exp "max-not-added": the shift is subtracted inside the sum but never added back;
      // "no-normaliser": the shifted logits alone, as if they were log-probabilities.
      out[i * k + j] = !log ? Math.exp(x) / total : variant === "no-normaliser" ? x : (variant === "max-not-added" ? m.data[i * k + j] : x) - Math.log(total);
    }
  }
  const r = make(out, m.shape);
  return axis === 1 ? r : transpose(r);
}

function softmax(t: Tensor, axis: 0 | 1, variant: string | undefined, reduce?: Reduce): Tensor {
  if (variant === "sigmoid") return make(t.data.map((x) => sigmoid(x)), t.shape);
  return normalised(t, axis, variant, reduce, false);
}

function logsoftmax(t: Tensor, axis: 0 | 1, variant: string | undefined, reduce?: Reduce, eps = 0, clip = false): Tensor {
  if (variant === "log-of-softmax") return make(softmax(t, axis, undefined, reduce).data.map((p) => Math.log(clip ? Math.max(p, eps) : p + eps)), t.shape);
  return normalised(t, axis, variant, reduce, true);
}

/** A symbol's value read from the case: an input tensor, or one entry of a vector input. */
function inputValue(p: Program, name: string, c: GradingCase): Tensor {
  const s = p.symbols[name];
  const src = c.inputs[s?.from?.input ?? name];
  if (!src) throw new Error(`program: no input ${s?.from?.input ?? name} in the case "${c.name}"`);
  return s?.from?.index !== undefined ? scalar(src.data[s.from.index]) : src;
}

// Hoisted so that evaluating creates no closures (this runs for every candidate slip on every case).
const plus = (x: number, y: number) => x + y;
const minus = (x: number, y: number) => x - y;
const times = (x: number, y: number) => x * y;
const over = (x: number, y: number) => x / y;

/** Evaluates one expression given the values of the symbols it reads. */
function evalExpr(e: Expr, get: (name: string) => Tensor, kink: Kink): Tensor {
  switch (e.op) {
    case "ref":
      return get(e.name);
    case "const":
      return scalar(e.value);
    case "dim": {
      const t = get(e.of);
      if (e.axis === "size") return scalar(t.size);
      if (e.axis >= t.shape.length) throw MISFIT;
      return scalar(t.shape[e.axis]);
    }
    case "add": {
      const a = evalExpr(e.a, get, kink);
      const sum = broadcast(a, evalExpr(e.b, get, kink), plus);
      if (!e.firstRow) return sum;
      // Only row 0 gets the term: a row broadcast over a matrix, the rest of the matrix left as it was.
      if (a.shape.length !== 2 || sum.shape.length !== 2 || a.size !== sum.size) throw MISFIT;
      const out = Float64Array.from(a.data);
      out.set(sum.data.subarray(0, a.shape[1]));
      return make(out, a.shape);
    }
    case "sub":
      return broadcast(evalExpr(e.a, get, kink), evalExpr(e.b, get, kink), minus);
    case "mul": {
      let acc = evalExpr(e.args[0], get, kink);
      for (let i = 1; i < e.args.length; i++) acc = broadcast(acc, evalExpr(e.args[i], get, kink), times);
      return acc;
    }
    case "div":
      return broadcast(evalExpr(e.a, get, kink), evalExpr(e.b, get, kink), over);
    case "neg": {
      const t = evalExpr(e.a, get, kink);
      const out = new Float64Array(t.size);
      for (let i = 0; i < out.length; i++) out[i] = -t.data[i];
      return make(out, t.shape);
    }
    case "matmul":
      return matmul(evalExpr(e.a, get, kink), evalExpr(e.b, get, kink), e.reduce);
    case "T":
      return transpose(evalExpr(e.a, get, kink));
    case "relayout": {
      const t = evalExpr(e.a, get, kink);
      if (t.shape.length !== 2) throw MISFIT;
      return make(t.data, [t.shape[1], t.shape[0]]);
    }
    case "sum":
      return sum(evalExpr(e.a, get, kink), e.axis, e.keepdims, e.reduce);
    case "act": {
      const t = evalExpr(e.a, get, kink);
      const out = new Float64Array(t.size);
      for (let i = 0; i < out.length; i++) out[i] = activation(e.fn, t.data[i], kink, e.naive, e.slope);
      return make(out, t.shape);
    }
    case "dact":
      return derivative(e, evalExpr(e.z, get, kink), evalExpr(e.a, get, kink), e.up ? evalExpr(e.up, get, kink) : undefined, kink);
    case "softmax":
      return softmax(evalExpr(e.a, get, kink), e.axis, e.variant, e.reduce);
    case "logsoftmax":
      return logsoftmax(evalExpr(e.a, get, kink), e.axis, e.variant, e.reduce, e.eps, e.clip);
    case "stack": {
      const out = new Float64Array(e.args.length);
      for (let i = 0; i < out.length; i++) out[i] = evalExpr(e.args[i], get, kink).data[0];
      return make(out, [out.length]);
    }
    case "ones": {
      const t = evalExpr(e.like, get, kink);
      return make(new Float64Array(t.size).fill(1), t.shape);
    }
    case "predicted": {
      const t = evalExpr(e.a, get, kink);
      if (t.shape.length !== 2) throw MISFIT;
      const [n, k] = t.shape;
      const out = new Float64Array(t.size);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (t.data[i * k + j] > t.data[i * k + best]) best = j;
        out[i * k + best] = 1;
      }
      return make(out, t.shape);
    }
  }
}

/**
 * Every statement's value on a case. With `overrides`, the statements named there use the given
 * expressions, and only `dirty` (what depends on them) is recomputed; the rest is read from `base`.
 */
export function evaluate(p: Program, c: GradingCase, kink: Kink, base?: Values, overrides?: Map<string, Expr>, dirty?: Set<string>): Values {
  const values = new Map<string, Tensor>();
  const get = (name: string): Tensor => {
    const v = values.get(name) ?? (base && !dirty?.has(name) ? base.get(name) : undefined);
    if (v) return v;
    const t = inputValue(p, name, c);
    values.set(name, t);
    return t;
  };
  for (const s of p.statements) {
    if (base && !dirty?.has(s.name)) continue;
    values.set(s.name, evalExpr(overrides?.get(s.name) ?? s.expr, get, kink));
  }
  return base ? { get: (name) => values.get(name) ?? base.get(name) } : values;
}

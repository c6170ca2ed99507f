// The lecture's computation of an exercise, written out statement by statement, so the mistake grammar
// can mutate it (operators.ts) and evaluate each mutation (evaluate.ts). An exercise's model.ts builds
// its program with the helpers below; a unit test proves each program equals the lib/nn reference.
//
//   const p = program({ x: input("x", "input", 0), W: input("W", "weight", 1), dZ: input("\\partial J/\\partial z", "upstream", 1) });
//   p.forward("z", "linear", add(matmul(ref("x"), T(ref("W"))), ref("b")));
//   p.backward("dW", "dW", matmul(T(ref("dZ")), ref("x"), { batch: true }));
//
// Statements written by the same helper for several layers or neurons share a `rule` (with `at` telling
// the instances apart): a student who slips in one place usually slips in every instance of it, so the
// grammar mutates a rule as a whole as well as each instance.

/** What a quantity is in the lecture's network: the grammar's neighbours are found by role, layer and unit. */
export type Role =
  | "input" // x, the activation of layer 0
  | "weight"
  | "bias"
  | "preactivation" // z
  | "activation" // a
  | "target" // y
  | "prediction" // ŷ, a_L: what the loss compares with y
  | "logits"
  | "probabilities" // softmax(z)
  | "loss" // J
  | "upstream" // ∂J/∂(a quantity), given or computed on the way down
  | "gradient"; // ∂J/∂θ or ∂J/∂x that the exercise returns

export type Symbol = {
  /** KaTeX, e.g. "W_2", "\\partial J/\\partial z_2". */
  label: string;
  role?: Role;
  layer?: number;
  unit?: number;
  /** For an upstream gradient or a gradient: the quantity it is the gradient of (a symbol name). */
  of?: string;
  /** For inputs: the case input it is read from, and the entry of a vector input (the width-1 chain). */
  from?: { input: string; index?: number };
};

/** How a sum over a batch (or any axis) is taken; the grammar swaps these. */
export type Reduce = "sum" | "mean" | "first" | "last" | "skip-first" | "skip-last";

export type Activation = "sigmoid" | "relu" | "step" | "identity" | "tanh";

/**
 * The activation derivative as a factor, with its lecture neighbours as variants:
 *   sigmoid: a(1 − a) · with "a" (σ itself), "one-minus-a", "from-z" z(1 − z), "of-a" σ(a)(1 − σ(a)), "a-one-minus-z" a(1 − z)
 *   relu:    [z ≥ 0] · with "a" (ReLU(z) itself), "z", "inverted" [z < 0], "upstream-sign" [upstream > 0]
 *   step:    0 · with "one", "relu" [z ≥ 0], "step" step(z)
 */
export type DerivativeVariant =
  | "a"
  | "one-minus-a"
  | "from-z"
  | "of-a"
  | "a-one-minus-z"
  | "z"
  | "inverted"
  | "upstream-sign"
  | "one"
  | "relu"
  | "step"
  | "squared";

export type Expr =
  | { op: "ref"; name: string }
  | { op: "const"; value: number }
  /** A size read from a symbol's shape: N (axis 0), K (axis 1), or its number of entries. */
  | { op: "dim"; of: string; axis: 0 | 1 | "size" }
  | { op: "add"; a: Expr; b: Expr }
  | { op: "sub"; a: Expr; b: Expr }
  /** Entrywise product of any number of factors (scalars and rows broadcast, as np does). */
  | { op: "mul"; args: Expr[] }
  | { op: "div"; a: Expr; b: Expr }
  | { op: "neg"; a: Expr }
  /** Matrix product; `batch`: its inner index runs over the examples (a sum over the batch). */
  | { op: "matmul"; a: Expr; b: Expr; batch?: boolean; reduce?: Reduce }
  | { op: "T"; a: Expr }
  /** a's entries read as if a had its two dimensions swapped (row-major data reinterpreted, not transposed). */
  | { op: "relayout"; a: Expr }
  | { op: "sum"; a: Expr; axis: number | null; keepdims?: boolean; batch?: boolean; reduce?: Reduce }
  | { op: "act"; fn: Activation; a: Expr; naive?: boolean }
  /** g′ as a factor; `rule` groups the derivatives one helper computes everywhere (e.g. every layer's σ′). */
  | { op: "dact"; fn: "sigmoid" | "relu" | "step"; z: Expr; a: Expr; up?: Expr; variant?: DerivativeVariant; rule?: string }
  /** Row-wise softmax (axis 1), stable; variants are the grammar's. */
  | { op: "softmax"; a: Expr; axis: 0 | 1; variant?: "naive" | "global-max" | "sigmoid" }
  /** log softmax(a) along axis 1 by log-sum-exp, stable; variants are the grammar's. */
  | { op: "logsoftmax"; a: Expr; axis: 0 | 1; variant?: "naive" | "max-not-added" | "log-of-softmax" }
  /** Vector [args…] of scalars (the width-1 chain's per-layer values). */
  | { op: "stack"; args: Expr[] }
  /** A tensor of ones shaped like a: what is left of a product when a factor is dropped. */
  | { op: "ones"; like: Expr };

export type Statement = {
  name: string;
  expr: Expr;
  step: "forward" | "backward";
  /** The helper that wrote it: instances of one rule are mutated together as well as one by one. */
  rule: string;
  at?: string;
  /**
   * A statement the grammar knows the lecture's variants of: "softmax-ce-gradient" is (softmax(z) − y)/N,
   * whose neighbours are the MSE gradients.
   */
  kind?: "softmax-ce-gradient";
};

export type Program = {
  symbols: Record<string, Symbol>;
  statements: Statement[];
  /** Scalar networks (three neurons, the width-1 chain) write products as juxtaposition, not ⊙. */
  scalar?: boolean;
  /** Output name → the statement computing it, where the two names differ. */
  outputs?: Record<string, string>;
};

// ---------------- builders ----------------

export const ref = (name: string): Expr => ({ op: "ref", name });
export const num = (value: number): Expr => ({ op: "const", value });
export const dim = (of: string, axis: 0 | 1 | "size"): Expr => ({ op: "dim", of, axis });
export const add = (a: Expr, b: Expr): Expr => ({ op: "add", a, b });
export const sub = (a: Expr, b: Expr): Expr => ({ op: "sub", a, b });
export const mul = (...args: Expr[]): Expr => ({ op: "mul", args });
export const div = (a: Expr, b: Expr): Expr => ({ op: "div", a, b });
export const neg = (a: Expr): Expr => ({ op: "neg", a });
export const matmul = (a: Expr, b: Expr, opts: { batch?: boolean } = {}): Expr => ({ op: "matmul", a, b, ...opts });
export const T = (a: Expr): Expr => ({ op: "T", a });
export const sum = (a: Expr, axis: number | null, opts: { batch?: boolean; keepdims?: boolean } = {}): Expr => ({ op: "sum", a, axis, ...opts });
export const act = (fn: Activation, a: Expr): Expr => ({ op: "act", fn, a });
export const dact = (fn: "sigmoid" | "relu" | "step", z: Expr, a: Expr, opts: { up?: Expr; rule?: string } = {}): Expr => ({ op: "dact", fn, z, a, ...opts });
export const softmax = (a: Expr): Expr => ({ op: "softmax", a, axis: 1 });
export const logsoftmax = (a: Expr): Expr => ({ op: "logsoftmax", a, axis: 1 });
export const stack = (args: Expr[]): Expr => ({ op: "stack", args });

export const input = (label: string, role?: Role, layer?: number, extra: Partial<Symbol> = {}): Symbol => ({ label, role, layer, ...extra });

/** A program under construction: symbols first, then statements in the order they are computed. */
export function program(symbols: Record<string, Symbol>, opts: { scalar?: boolean; outputs?: Record<string, string> } = {}) {
  const p: Program = { symbols: { ...symbols }, statements: [], ...opts };
  const define = (step: "forward" | "backward") => (name: string, rule: string, expr: Expr, sym: Symbol, extra: Partial<Statement> = {}) => {
    if (p.symbols[name] && p.statements.some((s) => s.name === name)) throw new Error(`program: ${name} is defined twice`);
    p.symbols[name] = sym;
    p.statements.push({ name, expr, step, rule, ...extra });
  };
  return { program: p, forward: define("forward"), backward: define("backward") };
}

/** Every symbol an expression reads. */
export function refsOf(e: Expr, into = new Set<string>()): Set<string> {
  switch (e.op) {
    case "ref":
      into.add(e.name);
      break;
    case "dim":
      into.add(e.of);
      break;
    case "const":
      break;
    case "mul":
    case "stack":
      e.args.forEach((x) => refsOf(x, into));
      break;
    case "dact":
      refsOf(e.z, into);
      refsOf(e.a, into);
      if (e.up) refsOf(e.up, into);
      break;
    case "ones":
      refsOf(e.like, into);
      break;
    default:
      if ("a" in e) refsOf(e.a, into);
      if ("b" in e) refsOf(e.b, into);
  }
  return into;
}

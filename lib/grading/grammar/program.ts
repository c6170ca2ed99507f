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

/**
 * The lecture's activations and their neighbours a student reaches for instead: sign(z), |z|, a leaky ReLU,
 * min(z, 0) (ReLU's max taken the wrong way, or −ReLU(−z)), a ±1 threshold (the step's −1 where it has 0;
 * at z = 0 it follows the step's kink conventions, 1 or −1, where Math.sign gives 0).
 */
export type Activation = "sigmoid" | "relu" | "step" | "identity" | "tanh" | "sign" | "abs" | "leaky" | "min" | "plus-minus";

/**
 * The activation derivative as a factor, with its lecture neighbours as variants:
 *   sigmoid: a(1 − a) · with "a" (σ itself), "one-minus-a", "from-z" z(1 − z), "of-a" σ(a)(1 − σ(a)), "a-one-minus-z" a(1 − z),
 *            "tanh" 1 − a² (tanh's slope), "one-plus-a" a(1 + a), "naive" s(1 − s) with s = e^z/(1 + e^z)
 *   relu:    [z ≥ 0] · with "a" (ReLU(z) itself), "z", "inverted" [z < 0], "upstream-sign" [upstream > 0],
 *            "sign" sign(z) (the slope of |z|), "leaky" 1 or `slope` (a leaky ReLU's)
 *   step:    0 · with "a" (step(z) itself), "one", "relu" [z ≥ 0]
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
  | "squared"
  | "tanh"
  | "sign"
  | "leaky"
  | "one-plus-a"
  | "naive";

export type Expr =
  | { op: "ref"; name: string }
  | { op: "const"; value: number }
  /** A size read from a symbol's shape: N (axis 0), K (axis 1), or its number of entries. */
  | { op: "dim"; of: string; axis: 0 | 1 | "size" }
  /** `firstRow`: b (a row broadcast over a's rows) added to a's first row only, as a loop that stops after row 0. */
  | { op: "add"; a: Expr; b: Expr; firstRow?: boolean }
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
  /** `slope`: a leaky ReLU's slope for z < 0. */
  | { op: "act"; fn: Activation; a: Expr; naive?: boolean; slope?: number }
  /** g′ as a factor; `rule` groups the derivatives one helper computes everywhere (e.g. every layer's σ′). */
  | { op: "dact"; fn: "sigmoid" | "relu" | "step"; z: Expr; a: Expr; up?: Expr; variant?: DerivativeVariant; slope?: number; rule?: string }
  /**
   * Row-wise softmax (axis 1), stable; variants are the grammar's ("column-max": shifted by each column's
   * maximum; "sum-all": normalised by the sum over every entry; "batch-sum": shifted by each row's maximum
   * but normalised by each column's sum, over the examples). `reduce`: which classes its normalising sum
   * adds up (an off-by-one loop).
   */
  | { op: "softmax"; a: Expr; axis: 0 | 1; variant?: "naive" | "global-max" | "sigmoid" | "column-max" | "sum-all" | "batch-sum"; reduce?: Reduce }
  /**
   * log softmax(a) along axis 1 by log-sum-exp, stable; variants and `reduce` as for softmax, and
   * "no-normaliser": the shifted logits z − m alone, the log-sum-exp left out. `eps` (with
   * "log-of-softmax"): log(softmax + eps), or log(max(softmax, eps)) with `clip`.
   */
  | { op: "logsoftmax"; a: Expr; axis: 0 | 1; variant?: "naive" | "max-not-added" | "log-of-softmax" | "column-max" | "sum-all" | "batch-sum" | "no-normaliser"; reduce?: Reduce; eps?: number; clip?: boolean }
  /** Vector [args…] of scalars (the width-1 chain's per-layer values). */
  | { op: "stack"; args: Expr[] }
  /** A tensor of ones shaped like a: what is left of a product when a factor is dropped. */
  | { op: "ones"; like: Expr }
  /** One-hot rows of a's row-wise argmax (the first maximum, as np.argmax): the class a network predicts. */
  | { op: "predicted"; a: Expr };

export type Statement = {
  name: string;
  expr: Expr;
  step: "forward" | "backward";
  /** The helper that wrote it: instances of one rule are mutated together as well as one by one. */
  rule: string;
  at?: string;
  /**
   * A statement the grammar knows the lecture's variants of: "softmax-ce-gradient" is (softmax(z) − y)/N,
   * whose neighbours are the MSE gradients, the gradient with respect to the probabilities and the loss
   * itself; "squared-error-gradient" is 2(ŷ − y), whose neighbour is the loss (ŷ − y)² itself.
   */
  kind?: "softmax-ce-gradient" | "squared-error-gradient";
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

/** Where a node sits in an expression: the keys from the root down ("a", "b", an argument's index …). */
export type Path = (string | number)[];

/** An expression's sub-expressions, each with its key. */
export function children(e: Expr): [string | number, Expr][] {
  switch (e.op) {
    case "mul":
    case "stack":
      return e.args.map((a, i) => [i, a]);
    case "dact":
      return [["z", e.z], ["a", e.a], ...(e.up ? ([["up", e.up]] as [string, Expr][]) : [])];
    case "ones":
      return [["like", e.like]];
    case "ref":
    case "const":
    case "dim":
      return [];
    default: {
      const out: [string, Expr][] = [["a", (e as { a: Expr }).a]];
      if ("b" in e) out.push(["b", e.b]);
      return out;
    }
  }
}

/** Calls f on every node of an expression, root first. */
export function visit(e: Expr, path: Path, f: (node: Expr, path: Path, parent?: Expr) => void, parent?: Expr): void {
  f(e, path, parent);
  for (const [k, c] of children(e)) visit(c, [...path, k], f, e);
}

/** Every symbol an expression reads. */
export function refsOf(e: Expr, into = new Set<string>()): Set<string> {
  visit(e, [], (node) => {
    if (node.op === "ref") into.add(node.name);
    else if (node.op === "dim") into.add(node.of);
  });
  return into;
}

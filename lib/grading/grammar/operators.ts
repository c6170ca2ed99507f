// The grammar of mistakes: every way one slip turns the lecture's computation (a program) into a wrong
// one, generated from the program's structure and its quantities' roles, never listed per exercise.
//   factors     one factor of a product dropped (upstream or chain-rule factor) or squared
//   operands    a quantity replaced by a neighbour: a ↔ z, another layer's (or neuron's) a, z, W or
//               upstream gradient, x ↔ ∂J/∂x, probabilities ↔ logits, ∂J/∂a where ∂J/∂z belongs; in
//               tensor programs any other quantity of the same shape (x for ∂J/∂z in a square layer)
//   derivatives σ′ ↔ σ ↔ 1 − σ ↔ z(1 − z) ↔ σ(a)(1 − σ(a)) ↔ tanh′; ReLU′ ↔ ReLU ↔ z ↔ inverted ↔ the
//               sign of the upstream gradient ↔ sign(z) ↔ a leaky slope; step′ ↔ step ↔ 1 ↔ ReLU′; any
//               of them dropped
//   reductions  a sum over the other axis, no sum, keepdims, all entries, a mean, only the first or last
//               term (an assignment in a loop), one term skipped (an off-by-one) — over the batch, the
//               classes of a softmax or a cross-entropy, or a product's shared index; divided by 1, K,
//               N·K or N² instead of N; a softmax shifted by each column's maximum
//   shapes      a transpose added or dropped, a matrix read in the other layout, a result transposed
//   signs       a whole formula negated, a difference the wrong way round, a term subtracted
//   outputs     two outputs swapped
//   forward     a term dropped, a bias added to the first row only, an activation added to a linear
//               output or replaced by another (σ, tanh, ReLU, |z|, a leaky ReLU, step, sign, none), σ(−z)
//   loss        softmax over the batch, softmax as an elementwise σ, the MSE gradient in a cross-entropy
//               network, a missing minus, the one-hot y missing, the loss itself where its gradient
//               belongs, ∂J/∂ŷ where ∂J/∂z belongs
//   stability   the naive σ, softmax, log-sum-exp or log(softmax), a shift by the batch's maximum
// A slip in the forward pass or the loss takes `forward` or `loss` where the backward's name for it
// (a derivative or an upstream gradient dropped) would not fit (familyAt).
// Each candidate carries its family (tests/fixtures/MISTAKE-FAMILIES.md), a title, and what went wrong
// in the lecture's words with KaTeX; the diagnosis adds the formula the student followed beside the
// lecture's. Adding a family is adding one entry here: every exercise's program gets it.

import type { MistakeFamily } from "../diagnose/families";
import { children, refsOf, visit, type Activation, type DerivativeVariant, type Expr, type Path, type Program, type Reduce, type Statement } from "./program";

export type Candidate = {
  id: string;
  family: MistakeFamily;
  /** Plain words, e.g. "∂J/∂W transposed". */
  title: string;
  /** What went wrong, in the lecture's words (KaTeX). */
  explain: string;
  /** Lower is preferred when two candidates explain the same numbers. */
  priority: number;
  /** Statement name → its mistaken expression. */
  edits: Map<string, Expr>;
  /** Output-level slips, applied to the outputs' values after evaluation. */
  outputs?: { transpose?: string[]; relayout?: string; reshape?: string[]; shift?: [string, 1 | -1]; swap?: [string, string]; copy?: [string, string] };
  /** A rule-wide slip (every layer or neuron written by one helper) rather than one place. */
  everywhere?: boolean;
  /** Quantities put in each other's place only because they have the same shape: tried where they do on some case. */
  sameShape?: [string, string][];
};

type Alternative = {
  /** Same key at two instances of one rule = the same slip, made once in a shared helper. */
  key: string;
  expr: Expr;
  family: MistakeFamily;
  /** The slip's name: the diagnosis id is "<where>-<slip>" (where: the statement, or the rule when everywhere). */
  slip: string;
  /** An id that does not depend on where (e.g. "softmax-overflow"). */
  id?: string;
  title: string;
  explain: string;
  priority: number;
  sameShape?: [string, string];
};

// ---------------- walking expressions ----------------

/**
 * The derivative helper (a dact with a rule, e.g. every layer's σ′) a node sits in, and its path inside
 * it: a slip inside the helper is made once for every statement that calls it, whatever rule wrote those.
 */
function helperOf(e: Expr, path: Path): { rule: string; rest: Path } | undefined {
  let node = e;
  let found: { rule: string; rest: Path } | undefined;
  path.forEach((k, i) => {
    if (node.op === "dact" && node.rule) found = { rule: node.rule, rest: path.slice(i) };
    node = node.op === "mul" || node.op === "stack" ? node.args[k as number] : (node as unknown as Record<string | number, Expr>)[k];
  });
  return node.op === "dact" && node.rule ? { rule: node.rule, rest: [] } : found;
}

function replaceAt(e: Expr, path: Path, by: Expr): Expr {
  if (path.length === 0) return by;
  const [k, ...rest] = path;
  if (e.op === "mul" || e.op === "stack") return { ...e, args: e.args.map((a, i) => (i === k ? replaceAt(a, rest, by) : a)) };
  return { ...e, [k]: replaceAt((e as unknown as Record<string | number, Expr>)[k], rest, by) } as Expr;
}

// ---------------- the quantities' roles ----------------

const sym = (p: Program, name: string) => p.symbols[name];
const label = (p: Program, name: string) => `$${sym(p, name)?.label ?? name}$`;
const isRef = (e: Expr): e is Extract<Expr, { op: "ref" }> => e.op === "ref";
const roleOf = (p: Program, e: Expr) => (isRef(e) ? sym(p, e.name)?.role : undefined);
const layerWords = (l: number | undefined) => (l === undefined ? "" : l === 0 ? "the input's" : `layer ${l}'s`);

/** Is this factor an upstream gradient (∂J/∂ of something), or built from one? */
function carriesUpstream(p: Program, e: Expr): boolean {
  return [...refsOf(e)].some((n) => sym(p, n)?.role === "upstream");
}

/** The quantities that exist when `at` is computed: the inputs and the statements before it. */
function availableAt(p: Program, at: Statement): [string, Program["symbols"][string]][] {
  const before = new Set(p.statements.slice(0, p.statements.indexOf(at)).map((x) => x.name));
  const defined = new Set(p.statements.map((x) => x.name));
  return Object.entries(p.symbols).filter(([n]) => !defined.has(n) || before.has(n));
}

type Neighbour = { to: string; key: string; family: MistakeFamily; why: string; sameShape?: boolean };

/** The quantities that can stand where `name` belongs in statement `at`, with how they relate to it. */
function neighbours(p: Program, name: string, at: Statement): Neighbour[] {
  const s = sym(p, name);
  if (!s?.role) return [];
  const out: Neighbour[] = [];
  const all = availableAt(p, at);
  const sameUnit = (o: typeof s) => (s.unit === undefined) === (o.unit === undefined) && (s.unit === undefined || o.unit === s.unit);
  const relLayer = (o: typeof s) => (o.layer === undefined || s.layer === undefined ? "?" : o.layer - s.layer);
  const valueLike = (r?: string) => r === "activation" || r === "input" || r === "prediction";
  const sameUnitOrAny = (a: typeof s, b: typeof s) => a.unit === undefined || b.unit === undefined || a.unit === b.unit;
  // A quantity every neuron shares (the input x) and the neuron's own (its a₁,ⱼ) may be taken for each
  // other, either way; another neuron's is the other-neuron slip.
  const ownNeuron = (o: typeof s) => (s.unit === undefined && o.unit !== undefined && o.unit === sym(p, at.name)?.unit) || (s.unit !== undefined && o.unit === undefined);
  for (const [to, o] of all) {
    if (to === name || !o.role) continue;
    // a ↔ z of the same layer (and neuron).
    if (o.layer === s.layer && sameUnit(o) && ((valueLike(s.role) && o.role === "preactivation") || (s.role === "preactivation" && valueLike(o.role))))
      // In the forward pass, z where a = g(z) belongs is the activation left out (`forward`, as a TA says it).
      out.push({
        to,
        key: `${o.role}-same-layer`,
        family: at.step === "forward" && o.role === "preactivation" ? "forward" : "wrong-operand",
        why: `${label(p, to)} is ${o.role === "preactivation" ? "before" : "after"} the activation; the formula needs ${label(p, name)}${at.step === "forward" && o.role === "preactivation" ? ": the activation is left out there" : ""}.`,
      });
    // Another layer's activation (or the input x = a₀), z, weight or bias.
    const kind = (r?: string) => (valueLike(r) ? "value" : r);
    if (kind(o.role) === kind(s.role) && o.layer !== s.layer && (sameUnit(o) || ownNeuron(o)) && ["value", "preactivation", "weight", "bias"].includes(kind(s.role) ?? "")) {
      const why = `${label(p, to)} is ${layerWords(o.layer)}; here the formula needs ${layerWords(s.layer)} ${label(p, name)}.`;
      // Keyed both ways: "the layer above" (a slip in a loop) and "layer L" (one value used for every layer).
      const rel = relLayer(o);
      const words = rel === 1 ? "one-layer-up" : rel === -1 ? "one-layer-down" : `${rel}-layers-away`;
      const what = kind(o.role) === "value" ? "activation" : kind(o.role);
      out.push({ to, key: o.role === "input" ? "network-input" : `${what}-${words}`, family: "wrong-operand", why });
      // x is the first layer's a₀: a loop reading each layer's input reads x there (σ′ of the layer's input).
      if (o.role === "input" && rel === -1) out.push({ to, key: `${what}-${words}`, family: "wrong-operand", why });
      if (o.role !== "input") out.push({ to, key: `${what}-of-layer-${o.layer}`, family: "wrong-operand", why });
    }
    // A weight and the input it multiplies (z_ℓ = w_ℓ a_{ℓ−1}) taken for each other: ∂z/∂w = a, ∂z/∂a = w.
    const partner = (v: typeof s, w: typeof s) => valueLike(v.role) && w.role === "weight" && v.layer !== undefined && w.layer === v.layer + 1 && sameUnitOrAny(v, w);
    if (partner(s, o) || partner(o, s))
      out.push({ to, key: o.role === "weight" ? "weight-for-its-input" : "input-for-its-weight", family: "wrong-operand", why: `in $z = w\\,a + b$ the weight and its input swap roles when you differentiate: $\\partial z/\\partial w = a$ and $\\partial z/\\partial a = w$.` });
    // A weight and its own layer's output a_ℓ = g(w_ℓ a_{ℓ−1} + b_ℓ), or its layer's bias, taken for each other.
    const output = (v: typeof s, w: typeof s) => valueLike(v.role) && w.role === "weight" && v.layer !== undefined && w.layer === v.layer && sameUnitOrAny(v, w);
    if (output(s, o) || output(o, s))
      out.push({ to, key: o.role === "weight" ? "weight-for-its-output" : "output-for-its-weight", family: "wrong-operand", why: `${label(p, to)} is ${o.role === "weight" ? "the weight of the layer whose output" : "the output of the layer whose weight"} ${label(p, name)} is: the formula needs ${label(p, name)}.` });
    const bias = (b: typeof s, w: typeof s) => b.role === "bias" && w.role === "weight" && b.layer === w.layer;
    if (bias(s, o) || bias(o, s))
      out.push({ to, key: o.role === "bias" ? "bias-for-weight" : "weight-for-bias", family: "wrong-operand", why: `${label(p, to)} is the layer's ${o.role}; the formula needs its ${s.role} ${label(p, name)}.` });
    // The other neuron of the same layer.
    if (o.role === s.role && o.layer === s.layer && s.unit !== undefined && o.unit !== undefined && o.unit !== s.unit)
      // Keyed by what the quantity is the gradient of, too: ∂J/∂a and ∂J/∂z of the other neuron are two slips.
      out.push({ to, key: `other-neuron${o.of ? `-of-${sym(p, o.of)?.role}` : ""}`, family: "wrong-operand", why: `${label(p, to)} belongs to the other neuron; neuron ${s.unit} needs ${label(p, name)}.` });
    // Another layer's upstream gradient of the same kind, or the same layer's ∂J/∂a where ∂J/∂z belongs.
    if (s.role === "upstream" && o.role === "upstream" && sameUnit(o)) {
      const sKind = sym(p, s.of ?? "")?.role;
      const oKind = sym(p, o.of ?? "")?.role;
      if (o.layer !== s.layer && sKind === oKind)
        out.push({ to, key: `upstream-${relLayer(o) === 1 ? "one-layer-up" : relLayer(o) === -1 ? "one-layer-down" : `of-layer-${o.layer}`}`, family: "upstream", why: `${label(p, to)} is ${layerWords(o.layer)} gradient; the chain rule here needs ${label(p, name)}.` });
      if (o.layer === s.layer && sKind === "preactivation" && valueLike(oKind))
        out.push({ to, key: "before-activation-derivative", family: "missing-derivative", why: `${label(p, to)} has not yet been through the activation's derivative; ${label(p, name)} = ${label(p, to)} times it.` });
    }
    // A layer's ∂J/∂w where its ∂J/∂z belongs: passed down the chain it is the wrong upstream gradient;
    // within the layer (∂J/∂b = ∂J/∂z) it is the wrong quantity.
    if (s.role === "upstream" && o.role === "gradient" && o.layer === s.layer && sameUnit(o) && sym(p, s.of ?? "")?.role === "preactivation" && sym(p, o.of ?? "")?.role === "weight") {
      const down = (sym(p, at.name)?.layer ?? s.layer!) < s.layer!;
      out.push({
        to,
        key: "weight-gradient-for-upstream",
        family: down ? "upstream" : "wrong-operand",
        why: down ? `${label(p, to)} is the gradient of a weight; going down the chain reuses ${label(p, name)}.` : `${label(p, to)} is the gradient of the weight, which has the extra factor of the input; the formula needs ${label(p, name)}.`,
      });
    }
    // x ↔ ∂J/∂x: the gradient of a quantity where the quantity belongs.
    if (o.role === "gradient" && o.of === name)
      out.push({ to, key: "gradient-for-value", family: "wrong-operand", why: `${label(p, to)} is the gradient of ${label(p, name)}; the formula needs ${label(p, name)} itself.` });
    // Logits where probabilities belong. In the cross-entropy's gradient, (z − y)/N is the squared error's
    // gradient of a linear output: the lecture's regression loss in a classification network, so `loss`
    // (MISTAKE-FAMILIES: "MSE gradient in a cross-entropy network"), not merely a wrong operand.
    // In the loss itself, the logits taken for the log-probabilities is the cross-entropy computed wrong.
    if (s.role === "probabilities" && o.role === "logits") {
      const ce = at.kind === "softmax-ce-gradient";
      const loss = sym(p, at.name)?.role === "loss";
      out.push({
        to,
        key: "logits-for-probabilities",
        family: ce || loss ? "loss" : "wrong-operand",
        why: ce
          ? `${label(p, to)} are the raw logits. With them the formula is the gradient of a squared error on a linear output, the lecture's loss for regression; this network classifies, with softmax and cross-entropy, whose gradient takes the probabilities ${label(p, name)}.`
          : loss
            ? `${label(p, to)} are the raw logits, not log-probabilities: the cross-entropy takes $\\log \\mathrm{softmax}(z) = z - m - \\log \\sum_k e^{z_k - m}$, whose log-sum-exp normalises each row.`
            : `${label(p, to)} are the raw logits; the softmax turns them into the probabilities ${label(p, name)} the formula needs.`,
      });
    }
  }
  // Any other tensor of the case in hand, where the two happen to have the same shape (x for ∂J/∂z in a square
  // layer): tried only on cases where they do. Scalar networks are left out: every quantity there has the
  // same shape, and their neighbours by role already cover them.
  if (!p.scalar) {
    // Not a quantity the formula already reads: y − y or x·x would be a degenerate formula, not a slip.
    const taken = new Set([...out.map((n) => n.to), ...refsOf(at.expr)]);
    for (const [to, o] of all)
      if (to !== name && o.role && o.role !== "loss" && !taken.has(to))
        out.push({ to, key: `same-shape-${o.role}${o.layer === undefined || s.layer === undefined ? "" : o.layer === s.layer ? "-same-layer" : `-of-layer-${o.layer}`}`, family: "wrong-operand", why: `${label(p, to)} has the same shape here, but it is another quantity: the formula needs ${label(p, name)}.`, sameShape: true });
  }
  return out;
}

// ---------------- the alternatives at one node ----------------

/** The ε students add to (or clip) a probability before its log: Keras's 1e−7 and the usual powers of ten down to 1e−15. */
const LOG_EPSILONS = [1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15];

/** The slopes a leaky ReLU is written with: PyTorch's default, and the common 0.1, TensorFlow's 0.2, Keras's 0.3. */
const LEAKY_SLOPES = [0.01, 0.1, 0.2, 0.3];

const DERIVATIVE: Record<"sigmoid" | "relu" | "step", { variant: DerivativeVariant; slope?: number; family: MistakeFamily; title: string; explain: string }[]> = {
  sigmoid: [
    { variant: "a", family: "activation-derivative", title: "σ used where σ′ belongs", explain: "You multiplied by $\\sigma(z) = a$ itself. The slope of the sigmoid is $\\sigma'(z) = a(1 - a)$." },
    { variant: "one-minus-a", family: "activation-derivative", title: "σ′ taken as 1 − σ", explain: "You multiplied by $1 - a$ only. The slope of the sigmoid is $\\sigma'(z) = a(1 - a)$: the factor $a$ is missing." },
    { variant: "from-z", family: "activation-derivative", title: "σ′ = a(1 − a) applied to z", explain: "You computed $z(1 - z)$: the rule $\\sigma' = a(1 - a)$ with the pre-activation $z$ in place of the activation $a = \\sigma(z)$." },
    { variant: "of-a", family: "activation-derivative", title: "σ′ evaluated at a instead of z", explain: "You computed $\\sigma(a)(1 - \\sigma(a))$: the derivative evaluated at the activation $a$ instead of at $z$. It is $\\sigma(z)(1 - \\sigma(z))$, or simply $a(1 - a)$." },
    { variant: "a-one-minus-z", family: "activation-derivative", title: "σ′ mixing a and z", explain: "You computed $a(1 - z)$, mixing the activation and the pre-activation. The slope is $\\sigma'(z) = a(1 - a)$." },
    { variant: "squared", family: "activation-derivative", title: "σ′ applied twice", explain: "The slope $\\sigma'(z) = a(1 - a)$ appears twice in your product; the chain rule takes it once per layer." },
    { variant: "naive", family: "stability", title: "σ′ from a σ that overflows", explain: "You recomputed $\\sigma(z)$ as $e^{z}/(1 + e^{z})$ for the slope, which is $\\infty/\\infty$ = NaN for large $z$. Use the forward's $a$, $\\sigma'(z) = a(1 - a)$, or a stable $\\sigma$: $1/(1 + e^{-z})$ for $z \\ge 0$." },
    { variant: "one-plus-a", family: "activation-derivative", title: "σ′ written a(1 + a)", explain: "You computed $a(1 + a)$: a sign slipped inside the slope. $\\sigma'(z) = a(1 - a)$." },
    { variant: "tanh", family: "activation-derivative", title: "tanh′ used where σ′ belongs", explain: "You multiplied by $1 - a^2$, the slope of $\\tanh$. The slope of the sigmoid is $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z)) = a(1 - a)$." },
  ],
  relu: [
    { variant: "a", family: "activation-derivative", title: "ReLU used where ReLU′ belongs", explain: "You multiplied by $a = \\mathrm{ReLU}(z)$ itself. The slope of ReLU is the 0/1 mask $\\mathrm{ReLU}'(z) = [z \\ge 0]$." },
    { variant: "z", family: "activation-derivative", title: "z used where ReLU′ belongs", explain: "You multiplied by $z$. The slope of ReLU is the 0/1 mask $\\mathrm{ReLU}'(z) = [z \\ge 0]$." },
    { variant: "inverted", family: "activation-derivative", title: "ReLU′ mask inverted", explain: "Your mask is inverted: it passes the gradient where $z < 0$, where ReLU is flat, and blocks it where $z > 0$. $\\mathrm{ReLU}'(z) = [z \\ge 0]$." },
    { variant: "upstream-sign", family: "activation-derivative", title: "ReLU′ taken from the sign of the upstream gradient", explain: "Your mask follows the sign of the incoming gradient. Whether ReLU passes gradient depends on its own input: $\\mathrm{ReLU}'(z) = [z \\ge 0]$." },
    { variant: "sign", family: "activation-derivative", title: "sign(z) used where ReLU′ belongs", explain: "You multiplied by $\\operatorname{sign}(z)$, the slope of $|z|$, which is $-1$ where $z < 0$. ReLU is flat there: $\\mathrm{ReLU}'(z) = [z \\ge 0]$, 1 or 0." },
    ...LEAKY_SLOPES.map((slope) => ({
      variant: "leaky" as const,
      slope,
      family: "activation-derivative" as const,
      title: `A leaky ReLU's slope used where ReLU′ belongs`,
      explain: `You let $${slope}$ of the gradient through where $z < 0$, a leaky ReLU's slope. ReLU is flat there, so nothing passes: $\\mathrm{ReLU}'(z) = [z \\ge 0]$.`,
    })),
  ],
  step: [
    { variant: "a", family: "activation-derivative", title: "step used where step′ belongs", explain: "You multiplied by $\\mathrm{step}(z) = a$ itself, the function instead of its slope. The step is flat wherever its derivative exists: $\\mathrm{step}'(z) = 0$, so no gradient flows through it." },
    { variant: "one", family: "activation-derivative", title: "Step derivative taken as 1", explain: "You passed the upstream gradient through unchanged. The step is flat wherever its derivative exists, so $\\mathrm{step}'(z) = 0$: no gradient flows through it (which is why networks use smooth activations)." },
    { variant: "relu", family: "activation-derivative", title: "Step given ReLU's derivative", explain: "You gave the step ReLU's derivative $[z \\ge 0]$. The step is flat wherever its derivative exists: $\\mathrm{step}'(z) = 0$." },
  ],
};
const DERIVATIVE_NAME = { sigmoid: "σ′", relu: "ReLU′", step: "step′" };

type ReduceSlip = { reduce: Reduce; family: MistakeFamily; key: string; title: string; words: string };

/**
 * The slips of a sum written as a loop, in words about what its index runs over: the examples of a sum
 * over the batch, the classes of a softmax's or a cross-entropy's sum, the shared index of a product.
 */
function reduceSlips(what: "example" | "class" | "term"): ReduceSlip[] {
  const one = what === "term" ? "term of the product's sum" : what;
  return [
    ...(what === "example" ? [{ reduce: "mean" as const, family: "scale" as const, key: "mean", title: "Averaged instead of summed", words: "you averaged over the batch instead of summing: any $1/N$ of the loss is already inside the upstream gradient" }] : []),
    { reduce: "last", family: "reduction", key: "last", title: `Only the last ${one} counted`, words: `only the last ${one} counts: in a loop, each ${one} replaced the sum (=) instead of adding to it (+=)` },
    { reduce: "first", family: "reduction", key: "first", title: `Only the first ${one} counted`, words: `only the first ${one} counts: the sum over the ${{ example: "batch", class: "classes", term: "terms" }[what]} is missing` },
    { reduce: "skip-first", family: "indexing", key: "skip-first", title: `The first ${one} left out`, words: `the first ${one} is left out: a loop that starts at 1 instead of 0` },
    { reduce: "skip-last", family: "indexing", key: "skip-last", title: `The last ${one} left out`, words: `the last ${one} is left out: a loop that stops one short` },
  ];
}
const SLIPS_OF = { example: reduceSlips("example"), class: reduceSlips("class"), term: reduceSlips("term") };
const reduceKey = (what: keyof typeof SLIPS_OF, key: string) => (what === "example" ? `batch-${key}` : `${what}-${key}`);

/** Every activation a forward one can be replaced by (a leaky ReLU once per slope in LEAKY_SLOPES). */
const ACTIVATIONS: Activation[] = ["sigmoid", "relu", "step", "tanh", "identity", "sign", "plus-minus", "abs", "min", "leaky"];
const ACT_NAME: Record<Activation, string> = { sigmoid: "σ", relu: "ReLU", step: "step", identity: "no activation", tanh: "tanh", sign: "sign", "plus-minus": "a ±1 threshold", abs: "|z|", min: "min(z, 0)", leaky: "a leaky ReLU" };
/** Each activation in the lecture's words: what it is and where it differs from its neighbours. */
const ACT_WORDS: Record<Activation, (slope?: number) => string> = {
  sigmoid: () => "the sigmoid $\\sigma(z) = 1/(1 + e^{-z})$, between 0 and 1",
  relu: () => "ReLU, $\\max(0, z)$, which is 0 for $z < 0$",
  step: () => "the hard threshold, 1 for $z \\ge 0$ and 0 for $z < 0$",
  tanh: () => "$\\tanh(z)$, between $-1$ and 1",
  identity: () => "no activation (a linear output)",
  sign: () => "$\\operatorname{sign}(z)$, which is $-1$ (not 0) for $z < 0$",
  "plus-minus": () => "a ±1 threshold, 1 for $z > 0$ and $-1$ (not 0) for $z < 0$",
  abs: () => "$|z|$, which is $-z$ (not 0) for $z < 0$",
  min: () => "$\\min(z, 0) = -\\mathrm{ReLU}(-z)$, which keeps $z < 0$ and gives 0 for $z > 0$: the max taken the wrong way round",
  leaky: (slope = 0.01) => `a leaky ReLU, $${slope}\\,z$ (not 0) for $z < 0$`,
};

/**
 * A slip's family where it is made. The forward pass and the loss have no chain rule: what would be a
 * dropped derivative or upstream gradient in the backward is, there, the network's (`forward`) or the
 * loss's (`loss`) formula being wrong — the family a TA gives a forward or loss slip.
 */
function familyAt(p: Program, s: Statement, family: MistakeFamily): MistakeFamily {
  if (s.step !== "forward" || !["missing-derivative", "upstream", "activation-derivative"].includes(family)) return family;
  return sym(p, s.name)?.role === "loss" ? "loss" : "forward";
}

// np.max(z, 0) for np.max(z, 1): wrong on every case (a reduction over the wrong axis), and no longer a
// stabiliser either, so it is named as the reduction and its words say both.
const COLUMN_MAX =
  "You subtracted $\\max_n z_{n,k}$, each column's maximum over the batch (a max over axis 0), instead of each row's own maximum $m_n = \\max_k z_{n,k}$ (axis 1). " +
  "Subtracting a row's own maximum leaves its softmax unchanged and keeps every exponent $\\le 0$; subtracting a different number from each class changes the probabilities, and a row that lies far below its columns' maxima still underflows to $0/0$.";

// np.sum(e, 0) where np.sum(e, 1) belongs, the row maximum kept: a softmax over the batch axis.
const BATCH_SUM = (what: string) =>
  `Your ${what} adds up $e^{z_{n,k} - m_n}$ over axis 0, the examples of each class (a sum over the batch axis), instead of over each row's own classes (axis 1): each example's probabilities are normalised over its own row, $\\hat y_{n,k} = e^{z_{n,k} - m_n}/\\sum_j e^{z_{n,j} - m_n}$.`;

const SUM_ALL =
  "Your normalising sum adds up every entry of the batch (a sum with no axis), so the probabilities of all the examples together add up to 1. Each example's probabilities are normalised over its own row: $\\hat y_{n,k} = e^{z_{n,k}}/\\sum_j e^{z_{n,j}}$ (a sum over axis 1, kept as a column).";

function alternatives(p: Program, s: Statement, node: Expr, path: Path, parent: Expr | undefined): Alternative[] {
  const out: Alternative[] = [];
  const add = (a: Alternative) => out.push({ ...a, family: familyAt(p, s, a.family) });
  const forwardStep = s.step === "forward";
  /** A softmax's normalising sum over the classes written as a loop that is one short, or overwrites. */
  const normaliserSlips = (node: Extract<Expr, { op: "softmax" | "logsoftmax" }>, what: string) => {
    for (const r of SLIPS_OF.class)
      add({ key: `${node.op}-${r.key}`, expr: { ...node, reduce: r.reduce }, family: r.family, slip: `normaliser-${r.key}`, title: `${r.title} of the ${what}'s sum`, explain: `In the ${what}'s normalising sum $\\sum_k e^{z_{n,k} - m_n}$, ${r.words}.`, priority: 22 });
  };
  switch (node.op) {
    case "ref": {
      for (const n of neighbours(p, node.name, s))
        add({
          key: `ref:${n.key}`,
          expr: { op: "ref", name: n.to },
          family: n.family,
          slip: `uses-${n.key}`,
          title: `${label(p, n.to)} used where ${label(p, node.name)} belongs`,
          explain: `In ${label(p, s.name)} you used ${label(p, n.to)} where ${label(p, node.name)} belongs: ${n.why}`,
          priority: n.sameShape ? 26 : 20,
          ...(n.sameShape ? { sameShape: [node.name, n.to] as [string, string] } : {}),
        });
      // The labelling rule turned round: the class the network predicts (argmax of the logits) taken for
      // the label y, so the cross-entropy (or its gradient) scores the network against its own guess.
      if (!p.scalar && roleOf(p, node) === "target") {
        const logits = availableAt(p, s).find(([, o]) => o.role === "logits")?.[0];
        if (logits)
          add({
            key: "predicted-for-label",
            expr: { op: "predicted", a: { op: "ref", name: logits } },
            family: "loss",
            slip: "predicted-class-for-label",
            title: "The predicted class used where the label belongs",
            explain:
              `In ${label(p, s.name)} you used the class the network predicts (the $\\arg\\max_k$ of each row of ${label(p, logits)}, one-hot) where the label ${label(p, node.name)} belongs. ` +
              `The cross-entropy scores the probability the network gives to the true class: $J = -\\frac{1}{N}\\sum_n \\log \\mathrm{softmax}(z_n)_{y_n}$, with $y_n$ the example's label, not the network's own guess.`,
            priority: 19,
          });
      }
      // An activation applied to the network's input in the forward pass, where none belongs.
      if (forwardStep && roleOf(p, node) === "input")
        for (const fn of ["relu", "sigmoid"] as const)
          add({ key: `input-${fn}`, expr: { op: "act", fn, a: node }, family: "forward", slip: `${fn}-on-the-input`, title: `${ACT_NAME[fn]} applied to the input`, explain: `${label(p, s.name)} applies ${ACT_NAME[fn]} to the network's input ${label(p, node.name)}, which goes into the first layer as it is.`, priority: 18 });
      // A loop over the layers that reads each layer's input as a[ℓ − 1] reads a[−1] for the first layer,
      // whose input is x: undefined, which makes NaN.
      const readsLayerInput = (t: Statement) => [...refsOf(t.expr)].some((r) => sym(p, r)?.role === "activation" && sym(p, r)?.layer === (sym(p, t.name)?.layer ?? 0) - 1);
      if (p.scalar && roleOf(p, node) === "input" && p.statements.some((t) => t !== s && t.rule === s.rule && readsLayerInput(t)))
        add({
          key: "input-read-past-the-start",
          expr: { op: "const", value: NaN },
          family: "indexing",
          slip: "input-read-as-undefined",
          title: "The first layer's input read past the start of an array",
          explain: `In ${label(p, s.name)} the first layer's input is read as $a[\\ell - 1]$ at $\\ell = 0$: $a[-1]$ is undefined, and undefined makes NaN. The first layer's input is ${label(p, node.name)}.`,
          priority: 21,
        });
      break;
    }
    case "const":
      if (parent?.op === "mul" && node.value !== 1) {
        add({ key: "const-doubled", expr: { op: "const", value: 2 * node.value }, family: "scale", slip: `factor-${node.value}-doubled`, title: `The factor ${node.value} doubled`, explain: `In ${label(p, s.name)} the factor $${node.value}$ is doubled.`, priority: 30 });
        add({ key: "const-inverted", expr: { op: "const", value: 1 / node.value }, family: "scale", slip: `divided-by-${node.value}`, title: `Divided by ${node.value} instead of multiplied`, explain: `In ${label(p, s.name)} you divided by $${node.value}$ where the factor $${node.value}$ multiplies: the derivative of $(\\hat y - y)^2$ is $2(\\hat y - y)$.`, priority: 30 });
      }
      break;
    case "mul": {
      if (node.args.length < 2) break;
      node.args.forEach((f, i) => {
        const rest = node.args.filter((_, j) => j !== i);
        const expr: Expr = rest.length === 1 ? rest[0] : { op: "mul", args: rest };
        if (f.op === "const") {
          add({ key: `drop-const-${f.value}`, expr, family: "scale", slip: `factor-${f.value}-missing`, title: `The factor ${f.value} is missing`, explain: `The factor $${f.value}$ of ${label(p, s.name)} is missing: the derivative of $(\\hat y - y)^2$ is $2(\\hat y - y)$.`, priority: 10 });
          return;
        }
        // A derivative reads the upstream gradient only for its mask variant; dropping it drops a local derivative.
        const upstream = f.op !== "dact" && carriesUpstream(p, f);
        const what = f.op === "dact" ? `the activation's derivative ${DERIVATIVE_NAME[f.fn]}` : f.op === "ref" ? `the factor ${label(p, f.name)}` : "a factor";
        if (forwardStep) {
          // The forward pass has no chain rule: a factor left out of the network's formula, or out of the loss.
          const crossEntropy = isRef(f) && roleOf(p, f) === "target" && sym(p, s.name)?.role === "loss";
          add({
            key: `drop-${roleOf(p, f) ?? f.op}`,
            expr,
            family: sym(p, s.name)?.role === "loss" ? "loss" : "forward",
            slip: `missing-${roleOf(p, f) ?? "factor"}`,
            title: crossEntropy ? "The one-hot $y$ missing from the cross-entropy" : `${f.op === "ref" ? label(p, f.name) : "A factor"} missing`,
            explain: crossEntropy
              ? `${label(p, s.name)} adds up $-\\log \\hat y_k$ over every class. The cross-entropy $\\ell = -\\sum_k y_k \\log \\hat y_k$ weights each class by the one-hot $y_k$, so only the label's own $-\\log \\hat y$ counts.`
              : `${label(p, s.name)} leaves out ${what}.`,
            priority: 14,
          });
          return;
        }
        add({
          key: `drop-${f.op === "dact" ? "derivative" : upstream ? "upstream" : (roleOf(p, f) ?? f.op)}`,
          expr,
          family: upstream ? "upstream" : "missing-derivative",
          slip: upstream ? "upstream-not-multiplied" : f.op === "dact" ? `${f.fn}-derivative-missing` : `missing-${roleOf(p, f) ?? "factor"}`,
          title: upstream ? "Upstream gradient not multiplied in" : `${f.op === "dact" ? DERIVATIVE_NAME[f.fn] : "A chain-rule factor"} missing`,
          explain: upstream
            ? `${label(p, s.name)} is missing the upstream gradient ${what}: the chain rule multiplies the local derivative by the gradient coming from above.`
            : `${label(p, s.name)} is missing ${what}: the chain rule multiplies every local derivative on the path.`,
          priority: upstream ? 12 : 14,
        });
      });
      // The chain not followed: every non-derivative factor replaced by the loss's own gradient.
      const top = p.statements.find((t) => t.rule === "loss-gradient");
      if (top && s.rule !== "loss-gradient" && node.args.some((f) => isRef(f) && roleOf(p, f) === "upstream" && f.name !== top.name)) {
        const derivatives = node.args.filter((f) => f.op === "dact");
        if (derivatives.length)
          add({
            key: "chain-not-followed",
            expr: { op: "mul", args: [{ op: "ref", name: top.name }, ...derivatives] },
            family: "upstream",
            slip: "upstream-not-passed-down",
            title: "∂J/∂z not passed down the chain",
            explain: `${label(p, s.name)} uses the loss's own gradient ${label(p, top.name)} instead of the gradient passed down from the layer above: backprop reuses the layer above's $\\partial J/\\partial z$, times its weight.`,
            priority: 16,
          });
      }
      break;
    }
    case "matmul": {
      for (const side of ["a", "b"] as const) {
        const f = node[side];
        const upstream = carriesUpstream(p, f);
        add({
          key: `matmul-drop-${side}-${upstream ? "upstream" : "factor"}`,
          expr: { ...node, [side]: { op: "ones", like: f } },
          family: upstream ? "upstream" : "missing-derivative",
          slip: upstream ? "upstream-not-multiplied" : "missing-factor",
          title: upstream ? "Upstream gradient not multiplied in" : "A chain-rule factor missing",
          explain: upstream
            ? `${label(p, s.name)} adds up the local derivatives without the upstream gradient: it is what you would get with the gradient from above replaced by ones.`
            : `${label(p, s.name)} is missing a factor of the product.`,
          priority: upstream ? 12 : 15,
        });
        const other = side === "a" ? node.b : node.a;
        add({
          key: `matmul-only-${side === "a" ? "b" : "a"}`,
          expr: other,
          family: upstream ? "upstream" : "missing-derivative",
          slip: upstream ? "is-only-the-local-derivative" : "is-only-the-upstream",
          title: upstream ? "Upstream gradient not multiplied in" : "A chain-rule factor missing",
          explain: upstream
            ? `${label(p, s.name)} is returned as the local derivative alone, without multiplying by the upstream gradient.`
            : `${label(p, s.name)} is returned as the upstream gradient alone, without the local derivative.`,
          priority: upstream ? 13 : 15,
        });
        // A matrix read in the other layout entry by entry (a loop reading W[j·out + i] for W[i, j]).
        if (isRef(f))
          add({ key: `matmul-relayout-${side}`, expr: { ...node, [side]: { op: "T", a: { op: "relayout", a: f } } }, family: "indexing", slip: "read-in-wrong-layout", title: "A matrix read in the wrong layout", explain: `${label(p, s.name)} reads ${label(p, f.name)}'s entries as if it were laid out with its dimensions the other way round: entry $[i, j]$ of an $m \\times n$ matrix is at $i \\cdot n + j$.`, priority: 24 });
        if (f.op !== "T")
          add({ key: `matmul-transpose-${side}`, expr: { ...node, [side]: { op: "T", a: f } }, family: "transpose", slip: "operand-transposed", title: "An operand transposed", explain: `${label(p, s.name)} multiplies by a transposed matrix where the untransposed one belongs.`, priority: 18 });
      }
      add({ key: "matmul-swapped", expr: { ...node, a: node.b, b: node.a }, family: "transpose", slip: "factors-in-wrong-order", title: "The factors of a product in the wrong order", explain: `${label(p, s.name)} multiplies its two matrices in the wrong order; a matrix product does not commute, and the shapes tell the order: $[N, \\text{out}]\\,[\\text{out}, \\text{in}]$ gives $[N, \\text{in}]$.`, priority: 19 });
      const what = node.batch ? "example" : "term";
      for (const r of SLIPS_OF[what])
        add({ key: reduceKey(what, r.key), expr: { ...node, reduce: r.reduce }, family: r.family, slip: r.key === "mean" ? "divided-by-N" : reduceKey(what, r.key), title: r.key === "mean" ? `${label(p, s.name)} divided by $N$` : r.title, explain: `In ${label(p, s.name)}, ${r.words}.`, priority: 22 });
      break;
    }
    case "T":
      add({ key: "drop-transpose", expr: node.a, family: "transpose", slip: "transpose-missing", title: "A transpose missing", explain: `${label(p, s.name)} uses a matrix where its transpose belongs.`, priority: 18 });
      add({ key: "relayout", expr: { op: "relayout", a: node.a }, family: "indexing", slip: "read-in-wrong-layout", title: "A matrix read in the wrong layout", explain: `${label(p, s.name)} reads a matrix's entries as if it were laid out with its dimensions the other way round ($W$ is $[\\text{out}, \\text{in}]$: entry $W_{i,j}$ is at $i \\cdot \\text{in} + j$).`, priority: 24 });
      break;
    case "sum": {
      const axis = node.axis;
      const o = (expr: Expr, key: string, family: MistakeFamily, slip: string, title: string, words: string, priority = 20) => add({ key, expr, family, slip, title, explain: `In ${label(p, s.name)}, ${words}.`, priority });
      o(node.a, "no-sum", "reduction", "not-summed", `${label(p, s.name)} not summed`, "the sum is missing: one row per example is left where one value is asked for. Every example used the same parameter, so their contributions add up");
      if (axis === 0 || axis === 1) o({ ...node, axis: axis === 0 ? 1 : 0 }, "other-axis", "reduction", "summed-over-wrong-axis", "Summed over the wrong axis", axis === 0 ? "you summed along axis 1 (over the outputs of each example) instead of axis 0 (over the examples)" : "you summed along axis 0 instead of axis 1");
      if (!node.keepdims && axis !== null) o({ ...node, keepdims: true }, "keepdims", "reduction", "keepdims", "Kept the summed axis", "the sum keeps the summed axis (keepdims), so the result is a row $[1, \\text{out}]$ instead of a vector of the parameter's shape");
      if (axis !== null) o({ ...node, axis: null }, "all", "reduction", "summed-over-everything", "Summed over everything", "you summed over every entry, giving one number instead of one per output");
      // A sum over the batch, or over the classes (the cross-entropy's Σ_k), written as a loop.
      const what = node.batch ? "example" : axis === 1 && sym(p, s.name)?.role === "loss" ? "class" : undefined;
      if (what)
        for (const r of SLIPS_OF[what])
          o({ ...node, reduce: r.reduce }, reduceKey(what, r.key), r.key === "mean" ? "reduction" : r.family, r.key === "mean" ? "divided-by-N" : reduceKey(what, r.key), r.title, r.words, 22);
      break;
    }
    case "add":
      // A row-broadcast term (a bias) added to the first row only: a loop over the batch that stops after row 0.
      if (!p.scalar && isRef(node.b) && roleOf(p, node.b) === "bias")
        add({
          key: "first-row-only",
          expr: { ...node, firstRow: true },
          family: forwardStep ? "forward" : "indexing",
          slip: "bias-on-first-row-only",
          title: `${label(p, node.b.name)} added to the first row only`,
          explain: `${label(p, s.name)} gets ${label(p, node.b.name)} on the first example's row only. Each row of a batch is one example, and every example gets the bias: $z_n = W x_n + b$ for every $n$ (a loop over the rows that stops after row 0, or a single row written).`,
          priority: 17,
        });
      add({ key: "drop-b", expr: node.a, family: forwardStep ? "forward" : "missing-derivative", slip: `missing-${isRef(node.b) ? (roleOf(p, node.b) ?? "term") : "term"}`, title: `${isRef(node.b) ? label(p, node.b.name) : "A term"} missing`, explain: `${label(p, s.name)} leaves out ${isRef(node.b) ? label(p, node.b.name) : "a term"}${isRef(node.b) && roleOf(p, node.b) === "bias" ? ": the bias is added to every row" : ""}.`, priority: 12 });
      add({ key: "subtracted", expr: { op: "sub", a: node.a, b: node.b }, family: "sign", slip: "term-subtracted", title: "A term subtracted instead of added", explain: `${label(p, s.name)} subtracts ${isRef(node.b) ? label(p, node.b.name) : "a term"} that belongs added.`, priority: 14 });
      break;
    case "sub":
      add({ key: "swapped-difference", expr: { op: "sub", a: node.b, b: node.a }, family: "sign", slip: "difference-reversed", title: "Sign flipped", explain: `${label(p, s.name)} has the difference the wrong way round, so its sign is flipped.`, priority: 8 });
      if (isRef(node.b) && roleOf(p, node.b) === "target")
        add({ key: "target-not-subtracted", expr: node.a, family: "loss", slip: "y-not-subtracted", title: "y not subtracted", explain: `${label(p, s.name)} never subtracts the targets $y$.`, priority: 12 });
      break;
    case "div": {
      if (node.b.op !== "dim" || node.b.axis !== 0) break;
      const of = node.b.of;
      const by = (b: Expr, key: string, title: string, words: string) =>
        add({ key, expr: b.op === "const" ? node.a : { op: "div", a: node.a, b }, family: "scale", slip: key, title, explain: `${label(p, s.name)} is ${words}: $J$ is the mean over the $N$ examples, so it is divided by $N$ once.`, priority: 10 });
      if (sym(p, s.name)?.role === "loss")
        add({ key: "not-averaged", expr: node.a, family: "loss", slip: "summed-not-averaged", title: "The loss summed instead of averaged", explain: `${label(p, s.name)} is the sum over the batch instead of the mean: $N$ times the right one. $J$ averages over the $N$ examples.`, priority: 9 });
      else by({ op: "const", value: 1 }, "not-divided-by-N", "Not divided by N", "$N$ times too large (not divided by $N$)");
      if (node.a.op === "sub") {
        const d = node.a;
        add({ key: "divides-one-term-b", expr: { op: "sub", a: d.a, b: { op: "div", a: d.b, b: node.b } }, family: "scale", slip: "divides-one-term", title: "Only one term divided by N", explain: `${label(p, s.name)} divides only the second term of the difference by $N$ (a missing pair of brackets): the whole difference is divided.`, priority: 13 });
        add({ key: "divides-one-term-a", expr: { op: "sub", a: { op: "div", a: d.a, b: node.b }, b: d.b }, family: "scale", slip: "divides-first-term", title: "Only one term divided by N", explain: `${label(p, s.name)} divides only the first term of the difference by $N$ (a missing pair of brackets): the whole difference is divided.`, priority: 13 });
      }
      by({ op: "dim", of, axis: "size" }, "divided-by-NK", "Divided by N·K instead of N", "divided by $N K$, the number of entries, instead of $N$");
      by({ op: "dim", of, axis: 1 }, "divided-by-K", "Divided by K instead of N", "divided by the number of classes $K$ instead of $N$");
      by({ op: "mul", args: [node.b, node.b] }, "divided-by-N-twice", "Divided by N twice", "divided by $N$ twice");
      break;
    }
    case "neg":
      add({ key: "minus-missing", expr: node.a, family: "sign", slip: "minus-missing", title: "The minus sign is missing", explain: `${label(p, s.name)} is missing its leading minus: $J = -\\tfrac{1}{N}\\sum_n \\log \\mathrm{softmax}(z_n)_{y_n}$ is never negative.`, priority: 8 });
      break;
    case "act": {
      for (const fn of ACTIVATIONS)
        for (const slope of fn === "leaky" ? LEAKY_SLOPES : [undefined])
          if (fn !== node.fn)
            add({
              key: `act-${fn}${slope ?? ""}`,
              expr: { op: "act", fn, a: node.a, ...(slope === undefined ? {} : { slope }) },
              family: "forward",
              slip: `${fn}${slope ?? ""}-instead-of-${node.fn}`,
              title: `${ACT_NAME[fn]}${slope === undefined ? "" : ` (slope ${slope})`} instead of ${ACT_NAME[node.fn]}`,
              explain: `For ${label(p, s.name)} you applied ${ACT_WORDS[fn](slope)}, where the lecture applies ${ACT_WORDS[node.fn](node.slope)}.`,
              priority: 16,
            });
      if (node.fn === "sigmoid" || node.fn === "tanh" || node.fn === "step")
        add({ key: "act-twice", expr: { ...node, a: node }, family: "forward", slip: `${node.fn}-applied-twice`, title: `${ACT_NAME[node.fn]} applied twice`, explain: `${label(p, s.name)} applies ${ACT_NAME[node.fn]} to its own output: $${node.fn === "sigmoid" ? "\\sigma(\\sigma(z))" : node.fn === "tanh" ? "\\tanh(\\tanh(z))" : "\\mathrm{step}(\\mathrm{step}(z))"}$. The activation is applied once, to $z$.`, priority: 17 });
      if (node.fn === "sigmoid") {
        add({ key: "sigmoid-of-minus-z", expr: { op: "act", fn: "sigmoid", a: { op: "neg", a: node.a } }, family: "forward", slip: "sigmoid-of-minus-z", title: "σ(−z) instead of σ(z)", explain: "You computed $1/(1 + e^{z}) = \\sigma(-z)$: the two branches of a stable sigmoid are swapped. $\\sigma(z) = 1/(1 + e^{-z})$.", priority: 14 });
        add({ key: "sigmoid-naive", expr: { ...node, naive: true }, family: "stability", slip: "overflow", id: "sigmoid-overflow", title: "σ overflows for large z", explain: "For large $z$, $e^{z}/(1 + e^{z})$ becomes $\\infty/\\infty$ = NaN. Use $1/(1 + e^{-z})$ for $z \\ge 0$ and $e^{z}/(1 + e^{z})$ for $z < 0$, so the exponent is never positive.", priority: 6 });
      }
      break;
    }
    case "dact":
      for (const d of DERIVATIVE[node.fn]) {
        if (d.variant === "upstream-sign" && !node.up) continue;
        const slip = `${node.fn === "sigmoid" ? "sigma" : node.fn}-prime-${d.variant}${d.slope === undefined ? "" : `-${d.slope}`}`;
        add({ key: `dact-${d.variant}-${d.slope ?? ""}`, expr: { ...node, variant: d.variant, ...(d.slope === undefined ? {} : { slope: d.slope }) }, family: d.family, slip, id: slip, title: d.title, explain: d.explain, priority: 10 });
      }
      break;
    case "softmax":
      add({ key: "softmax-axis0", expr: { ...node, axis: 0 }, family: "reduction", slip: "over-batch", id: "softmax-over-batch", title: "Softmax over the batch axis", explain: "Your softmax normalises each column (over the examples, axis 0); each example's probabilities are normalised over its own row: $\\hat y_{n,k} = e^{z_{n,k}}/\\sum_j e^{z_{n,j}}$ (axis 1).", priority: 10 });
      add({ key: "softmax-batch-sum", expr: { ...node, variant: "batch-sum" }, family: "reduction", slip: "summed-over-batch", id: "softmax-summed-over-batch", title: "Softmax over the batch axis", explain: BATCH_SUM("softmax's normalising sum"), priority: 10 });
      add({ key: "softmax-naive", expr: { ...node, variant: "naive" }, family: "stability", slip: "overflow", id: "softmax-overflow", title: "Softmax overflows for large logits", explain: "$e^{z}$ overflows for $z > 709$ (and $e^{z}$ of very negative rows underflows to $0/0$). Subtract each row's maximum first: $\\mathrm{softmax}(z) = \\mathrm{softmax}(z - \\max_k z_k)$.", priority: 6 });
      add({ key: "softmax-global-max", expr: { ...node, variant: "global-max" }, family: "stability", slip: "batch-max", id: "softmax-shifted-by-batch-max", title: "Softmax shifted by the batch's maximum", explain: "You subtracted the largest logit of the whole batch; a row far below it underflows to $e^{-1000} = 0$ and gives $0/0$. Subtract each row's own maximum.", priority: 7 });
      add({ key: "softmax-sigmoid", expr: { ...node, variant: "sigmoid" }, family: "loss", slip: "elementwise", id: "softmax-as-elementwise-sigmoid", title: "Softmax treated as an elementwise σ", explain: "You used $\\sigma(z)$ entry by entry. The softmax couples a row: $\\hat y_{n,k} = e^{z_{n,k}}/\\sum_j e^{z_{n,j}}$, and with cross-entropy $\\partial J/\\partial z = (\\hat y - y)/N$.", priority: 12 });
      add({ key: "softmax-twice", expr: { ...node, a: { ...node } }, family: "forward", slip: "softmax-applied-twice", id: "softmax-applied-twice", title: "Softmax applied twice", explain: "You applied the softmax to probabilities that had already been through it: $\\mathrm{softmax}(\\mathrm{softmax}(z))$. The softmax turns the logits into probabilities once; with cross-entropy, $\\partial J/\\partial z = (\\mathrm{softmax}(z) - y)/N$.", priority: 13 });
      add({ key: "softmax-column-max", expr: { ...node, variant: "column-max" }, family: "reduction", slip: "max-over-wrong-axis", id: "softmax-max-over-wrong-axis", title: "Softmax shifted by each column's maximum", explain: COLUMN_MAX, priority: 9 });
      add({ key: "softmax-sum-all", expr: { ...node, variant: "sum-all" }, family: "reduction", slip: "normalised-over-everything", id: "softmax-normalised-over-everything", title: "Softmax normalised over every entry", explain: SUM_ALL, priority: 10 });
      normaliserSlips(node, "softmax");
      break;
    case "logsoftmax":
      // The loss is one number: NaN from log Σ e^z overflowing and NaN from the log of a softmax probability that
      // underflowed to 0 (np.log(softmax(z)), stable softmax or not) look the same in it, so the words give both
      // causes and the one remedy rather than claim an overflow the student's code may not have.
      add({
        key: "lse-naive",
        expr: { ...node, variant: "naive" },
        family: "stability",
        slip: "overflow",
        id: "log-sum-exp-overflow",
        title: "The log-probabilities are not finite for large logits",
        explain:
          "On the case with large logits your loss is not a number. Either $\\log \\sum_k e^{z_k}$ of the raw logits overflows ($e^{z} = \\infty$ for $z > 709$), or you took the log of a softmax probability that underflowed to $0$ (a logit more than about $745$ below its row's maximum), and $\\log 0 = -\\infty$. " +
          "Compute the log-probabilities directly with the log-sum-exp: $\\log \\mathrm{softmax}(z)_k = z_k - m - \\log \\sum_j e^{z_j - m}$ with $m = \\max_j z_j$.",
        priority: 6,
      });
      // A loss slip (the log-probabilities are off by m in every row, so J is wrong on every case), made
      // while stabilising: its words say both.
      add({
        key: "lse-max-not-added",
        expr: { ...node, variant: "max-not-added" },
        family: "loss",
        slip: "max-not-added",
        id: "log-sum-exp-max-not-added-back",
        title: "The max not added back in log-sum-exp",
        explain:
          "You subtracted the row maximum $m$ inside the log-sum-exp but did not add it back, so every log-probability is off by its row's $m$ and the loss is wrong wherever $m \\ne 0$, large logits or not: $\\log \\sum_k e^{z_k} = m + \\log \\sum_k e^{z_k - m}$. " +
          "Subtracting $m$ is right (it keeps every exponent $\\le 0$, the numerically stable log-sum-exp), but it must be added back: $\\log \\mathrm{softmax}(z) = z - m - \\log \\sum_k e^{z_k - m}$.",
        priority: 7,
      });
      add({
        key: "lse-left-out",
        expr: { ...node, variant: "no-normaliser" },
        family: "loss",
        slip: "normaliser-missing",
        id: "log-sum-exp-missing",
        title: "The log-sum-exp left out of the log-probabilities",
        explain:
          "You used the shifted logits $z - m$ as if they were log-probabilities: the normaliser $\\log \\sum_k e^{z_k - m}$ is left out. Each row's log-probabilities are $\\log \\mathrm{softmax}(z) = z - m - \\log \\sum_k e^{z_k - m}$, so that its probabilities add up to 1.",
        priority: 8,
      });
      add({ key: "lse-batch-sum", expr: { ...node, variant: "batch-sum" }, family: "reduction", slip: "summed-over-batch", id: "log-sum-exp-summed-over-batch", title: "log-sum-exp over the batch axis", explain: BATCH_SUM("log-sum-exp"), priority: 10 });
      // The usual guards against log 0: finite, but a probability smaller than ε has the wrong log.
      for (const eps of LOG_EPSILONS)
        for (const clip of [false, true])
          add({
            key: `log-of-softmax-${clip ? "clipped" : "plus"}-${eps}`,
            expr: { ...node, variant: "log-of-softmax", eps, ...(clip ? { clip } : {}) },
            family: "stability",
            slip: "log-guarded",
            id: "log-of-probability-guarded-by-epsilon",
            title: `log ŷ guarded by ${clip ? "clipping at" : "adding"} ε`,
            explain: `You took $\\log ${clip ? `\\max(\\hat y, ${eps})` : `(\\hat y + ${eps})`}$: finite, but wrong wherever a probability is near or below $${eps}$, as on logits far apart, where the right $\\log \\hat y$ is far below $\\log ${eps}$. Compute $\\log \\mathrm{softmax}(z) = z - m - \\log \\sum_k e^{z_k - m}$ directly: exact and finite.`,
            priority: 8,
          });
      add({ key: "log-of-softmax", expr: { ...node, variant: "log-of-softmax" }, family: "stability", slip: "log-of-softmax", id: "log-of-underflowed-probability", title: "log of a probability that underflowed", explain: "You took $\\log$ of the softmax's probabilities; a probability that underflows to $0$ gives $\\log 0 = -\\infty$. Compute $\\log \\mathrm{softmax}(z) = z - m - \\log \\sum_k e^{z_k - m}$ directly.", priority: 8 });
      add({ key: "logsoftmax-axis0", expr: { ...node, axis: 0 }, family: "reduction", slip: "over-batch", id: "log-softmax-over-batch", title: "Softmax over the batch axis", explain: "Your log-softmax normalises over the examples (axis 0) instead of each row's classes (axis 1).", priority: 10 });
      add({ key: "logsoftmax-column-max", expr: { ...node, variant: "column-max" }, family: "reduction", slip: "max-over-wrong-axis", id: "log-softmax-max-over-wrong-axis", title: "log-sum-exp shifted by each column's maximum", explain: COLUMN_MAX, priority: 9 });
      add({ key: "logsoftmax-sum-all", expr: { ...node, variant: "sum-all" }, family: "reduction", slip: "normalised-over-everything", id: "log-softmax-normalised-over-everything", title: "log-sum-exp over every entry", explain: SUM_ALL, priority: 10 });
      normaliserSlips(node, "log-softmax");
      break;
  }
  return out;
}

// ---------------- candidates of a whole program ----------------

/** A forward statement that is a network's linear output: a pre-activation, the logits or ŷ, computed as w·a + b. */
const linearOutput = (p: Program, s: Statement) => s.step === "forward" && ["preactivation", "logits", "prediction"].includes(sym(p, s.name)?.role ?? "") && s.expr.op === "add";

/** e with every read of `name` replaced by `by`. */
function replaceRefs(e: Expr, name: string, by: Expr): Expr {
  if (e.op === "ref") return e.name === name ? by : e;
  let out: Expr = e;
  for (const [k, c] of children(e)) {
    const r = replaceRefs(c, name, by);
    if (r !== c) out = replaceAt(out, [k], r);
  }
  return out;
}

/**
 * The gradient of a linear output (∂J/∂ŷ, ∂J/∂z of the logits or of a linear layer) multiplied by the slope
 * of an activation the output does not have: a ReLU′ mask [z ≥ 0], or σ′ written from the output itself,
 * ŷ(1 − ŷ), or σ(ŷ)(1 − σ(ŷ)). Where the gradient is computed, its statement gets the factor; where it is
 * given (the linear layer's ∂J/∂z), every statement that reads it does.
 */
function slopesOnLinearOutputs(p: Program): Candidate[] {
  const out: Candidate[] = [];
  for (const [u, us] of Object.entries(p.symbols)) {
    const q = us.role === "upstream" || us.role === "gradient" ? p.statements.find((s) => s.name === us.of) : undefined;
    if (!q || !linearOutput(p, q) || p.statements.some((s) => s.expr.op === "act" && isRef(s.expr.a) && s.expr.a.name === q.name)) continue;
    const z: Expr = { op: "ref", name: q.name };
    const slopes: [string, Expr, string][] = [
      ["relu", { op: "dact", fn: "relu", z, a: { op: "act", fn: "relu", a: z } }, `the ReLU′ mask $[${sym(p, q.name)!.label} \\ge 0]$`],
      ["sigmoid", { op: "dact", fn: "sigmoid", z, a: z }, `$${sym(p, q.name)!.label}(1 - ${sym(p, q.name)!.label})$, σ′ written from the output`],
      ["sigmoid-of", { op: "dact", fn: "sigmoid", z, a: { op: "act", fn: "sigmoid", a: z } }, `$\\sigma'(${sym(p, q.name)!.label})$`],
    ];
    const own = p.statements.find((s) => s.name === u);
    for (const [fn, slope, words] of slopes) {
      const edits = new Map<string, Expr>();
      if (own) edits.set(u, { op: "mul", args: [own.expr, slope] });
      else for (const s of p.statements) if (s.step === "backward" && refsOf(s.expr).has(u)) edits.set(s.name, replaceRefs(s.expr, u, { op: "mul", args: [{ op: "ref", name: u }, slope] }));
      if (!edits.size) continue;
      out.push({
        id: `${u}-${fn}-slope-on-linear-output`,
        family: "activation-derivative",
        title: "An activation's slope on a linear output",
        explain: `${label(p, q.name)} is a linear output: no activation follows it, so ${label(p, u)} passes through unchanged. You multiplied it by ${words}, the slope of an activation the output does not have.`,
        priority: 15,
        edits,
      });
    }
  }
  return out;
}

/** The statements' names whose values depend on `changed` (themselves included). */
function dependents(p: Program, changed: Iterable<string>): Set<string> {
  const dirty = new Set(changed);
  for (const s of p.statements) if (!dirty.has(s.name) && [...refsOf(s.expr)].some((r) => dirty.has(r))) dirty.add(s.name);
  return dirty;
}

const dirtyOf = new WeakMap<Candidate, Set<string>>();

/** What a candidate's edits change (cached: candidates are made once per program). */
export function changedBy(p: Program, c: Candidate): Set<string> {
  let d = dirtyOf.get(c);
  if (!d) dirtyOf.set(c, (d = dependents(p, c.edits.keys())));
  return d;
}

const programCandidates = new WeakMap<Program, Candidate[]>();

/** Every single-slip variant of a program, instance by instance and rule by rule, best-first. */
export function candidatesOf(p: Program, outputs: Record<string, string>): Candidate[] {
  const hit = programCandidates.get(p);
  if (hit) return hit;
  const list: Candidate[] = [];
  const groups = new Map<string, { alt: Alternative; edits: [Statement, Path, Expr, ([string, string] | undefined)?][] }>();
  for (const s of p.statements) {
    if (s.expr.op === "stack") continue; // the width-1 chain's output vectors: nothing to slip in
    const made = new Set<string>();
    visit(s.expr, [], (node, path, parent) => {
      // A derivative's `up` is read only by its upstream-sign variant, which is a slip of its own.
      if (path.includes("up")) return;
      for (const alt of alternatives(p, s, node, path, parent)) {
        // The same edit under two keys (x as the network's input and as the first layer's a₀) is one slip here.
        const edit = `${path.join(".")}:${JSON.stringify(alt.expr)}`;
        if (!made.has(edit))
          list.push({
            id: alt.id ?? `${s.name}-${alt.slip}`,
            family: alt.family,
            title: alt.title,
            explain: alt.explain,
            priority: alt.priority,
            edits: new Map([[s.name, replaceAt(s.expr, path, alt.expr)]]),
            ...(alt.sameShape ? { sameShape: [alt.sameShape] } : {}),
          });
        made.add(edit);
        const helper = helperOf(s.expr, path);
        const rule = helper ? `${helper.rule}@${helper.rest.join(".")}` : `${s.rule}@${path.join(".")}`;
        const g = groups.get(`${rule}|${alt.key}`) ?? { alt: { ...alt, id: alt.id ?? `${helper?.rule ?? s.rule}-${alt.slip}` }, edits: [] };
        g.edits.push([s, path, alt.expr, alt.sameShape]);
        groups.set(`${rule}|${alt.key}`, g);
      }
    });
    // The whole statement negated, and an activation applied to a forward statement's linear result.
    list.push({ id: `${s.name}-sign-flipped`, family: "sign", title: "Sign flipped", explain: `Your ${label(p, s.name)} is exactly the negative of the right one: check the sign of each factor (e.g. $\\hat y - y$ versus $y - \\hat y$, or a stray minus).`, priority: 9, edits: new Map([[s.name, { op: "neg", a: s.expr }]]) });
    const g = groups.get(`${s.rule}@|negate`) ?? { alt: { key: "negate", expr: s.expr, family: "sign", slip: "sign-flipped", id: `${s.rule}-sign-flipped`, title: "Sign flipped", explain: "Each of them is exactly the negative of the right one.", priority: 9 }, edits: [] };
    g.edits.push([s, [], { op: "neg", a: s.expr }]);
    groups.set(`${s.rule}@|negate`, g);
    if (linearOutput(p, s)) {
      for (const fn of ["relu", "sigmoid"] as const)
        list.push({
          id: `${s.name}-${fn}-applied`,
          family: "forward",
          title: `${ACT_NAME[fn]} applied to a linear output`,
          explain: `${label(p, s.name)} is a linear output, but you applied ${ACT_NAME[fn]} to it.`,
          priority: 16,
          edits: new Map([[s.name, { op: "act", fn, a: s.expr }]]),
        });
      if (sym(p, s.name)?.role === "logits")
        list.push({
          id: `${s.name}-softmax-applied`,
          family: "forward",
          title: "Probabilities returned where the logits belong",
          explain: `${label(p, s.name)} are the logits, the network's linear output; you returned $\\mathrm{softmax}(${sym(p, s.name)!.label})$, the probabilities. The softmax belongs to the loss: the cross-entropy and its gradient $(\\mathrm{softmax}(z) - y)/N$ apply it to the logits the forward returns.`,
          priority: 16,
          edits: new Map([[s.name, { op: "softmax", a: s.expr, axis: 1 }]]),
        });
    }
  }
  list.push(...slopesOnLinearOutputs(p));
  for (const { alt, edits } of groups.values()) {
    if (edits.length < 2) continue;
    const byStatement = new Map<string, Expr>();
    for (const [s, path, expr] of edits) byStatement.set(s.name, replaceAt(byStatement.get(s.name) ?? s.expr, path, expr));
    const sameShape = edits.flatMap(([, , , pair]) => (pair ? [pair] : []));
    // Each neuron using the other's quantity, in every neuron: the two are exchanged. Exchanged parameters
    // (w₂,₁ for w₂,₂) are `swapped`, the vocabulary's "two parameters swapped"; exchanged intermediate
    // quantities (each neuron gated by the other's ReLU′, or fed the other's a) stay `wrong-operand`:
    // the formula is right, one quantity in it is the other neuron's.
    const exchanged = alt.key.startsWith("ref:other-neuron");
    const parameters = edits.every(([, , expr]) => expr.op === "ref" && ["weight", "bias"].includes(sym(p, expr.name)?.role ?? ""));
    list.push({
      id: alt.id!,
      family: exchanged && parameters ? "swapped" : alt.family,
      title: exchanged ? "Two neurons' quantities exchanged" : alt.title,
      explain: exchanged ? `${alt.explain} (The two neurons' are exchanged: each uses the other's.)` : `${alt.explain} (Everywhere you wrote this step.)`,
      priority: alt.priority - 1,
      edits: byStatement,
      everywhere: true,
      ...(sameShape.length ? { sameShape } : {}),
    });
  }
  // Output-level slips: a result transposed, two results swapped.
  const names = Object.keys(outputs);
  const plain = (o: string) => label(p, outputs[o]);
  for (const o of names)
    list.push({ id: `${o}-transposed`, family: "transpose", title: `${plain(o)} transposed`, explain: `Your ${label(p, outputs[o])} is the transpose of the right one. A gradient has the shape of what it is the gradient of.`, priority: 5, edits: new Map(), outputs: { transpose: [o] } });
  // The same output slip in every output one rule writes (every layer's ∂J/∂W transposed).
  const byRule = new Map<string, string[]>();
  for (const o of names) {
    const rule = p.statements.find((st) => st.name === outputs[o])?.rule;
    if (rule) byRule.set(rule, [...(byRule.get(rule) ?? []), o]);
  }
  for (const [rule, os] of byRule)
    if (os.length > 1)
      list.push({ id: `${rule}-reshaped`, family: "indexing", title: `${os.map(plain).join(", ")} reshaped instead of transposed`, explain: `Your ${os.map((o) => label(p, outputs[o])).join(", ")} hold the right numbers in the right order, but reshaped to the other shape: a reshape keeps the order of the data, a transpose moves each entry $[i, j]$ to $[j, i]$. A gradient has the shape of what it is the gradient of.`, priority: 5, edits: new Map(), outputs: { reshape: os }, everywhere: true });
  for (const [rule, os] of byRule)
    if (os.length > 1)
      list.push({ id: `${rule}-transposed`, family: "transpose", title: `${os.map(plain).join(", ")} transposed`, explain: `Your ${os.map((o) => label(p, outputs[o])).join(", ")} are the transposes of the right ones. A gradient has the shape of what it is the gradient of: $W_\\ell$ is $[\\text{out}, \\text{in}]$, and so is $\\partial J/\\partial W_\\ell = (\\partial J/\\partial z_\\ell)^\\top a_{\\ell-1}$.`, priority: 4, edits: new Map(), outputs: { transpose: os }, everywhere: true });
  for (const o of names) {
    list.push({
      id: `${o}-reshaped`,
      family: "indexing",
      title: "Reshaped instead of transposed",
      explain: `Your ${label(p, outputs[o])} holds the right numbers in the right order, but reshaped to the other shape: a reshape keeps the order of the data, a transpose moves each entry $[i, j]$ to $[j, i]$. A gradient has the shape of what it is the gradient of.`,
      priority: 6,
      edits: new Map(),
      outputs: { reshape: [o] },
    });
    list.push({ id: `${o}-column-major`, family: "indexing", title: "Entries laid out column by column", explain: `Your ${label(p, outputs[o])} holds the right numbers written column by column into a row-major array: entry $[i, j]$ of an $m \\times n$ tensor is at $i \\cdot n + j$.`, priority: 6, edits: new Map(), outputs: { relayout: o } });
    for (const shift of [1, -1] as const)
      list.push({ id: `${o}-rows-shifted`, family: "indexing", title: "Rows shifted by one", explain: `Your ${label(p, outputs[o])} has each example's row written ${shift === 1 ? "one row down" : "one row up"}: an off-by-one in the row index.`, priority: 6, edits: new Map(), outputs: { shift: [o, shift] } });
  }
  // One result returned for another is `swapped` (MISTAKE-FAMILIES: "dW returned as dX"); in the forward
  // pass it is the forward that is wrong (a z array that holds a), as for every slip there.
  const stepOf = (o: string) => p.statements.find((st) => st.name === outputs[o])?.step;
  for (const a of names)
    for (const b of names)
      if (a !== b)
        list.push({
          id: `${a}-holds-${b}`,
          family: stepOf(a) === "forward" ? "forward" : "swapped",
          title: "One result returned for another",
          explain: `Your ${label(p, outputs[a])} holds ${label(p, outputs[b])}: the wrong quantity is returned under its name${stepOf(a) === "forward" ? ` (the forward keeps ${label(p, outputs[b])} where ${label(p, outputs[a])} belongs)` : ""}.`,
          priority: 25,
          edits: new Map(),
          outputs: { copy: [a, b] },
        });
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++)
      list.push({ id: `${names[i]}-${names[j]}-swapped`, family: "swapped", title: "Two results swapped", explain: `Your ${label(p, outputs[names[i]])} and ${label(p, outputs[names[j]])} are each other's: they are returned under each other's names.`, priority: 4, edits: new Map(), outputs: { swap: [names[i], names[j]] } });
  // Softmax cross-entropy's gradient and its neighbours: the MSE gradient used in a cross-entropy network.
  for (const s of p.statements.filter((x) => x.kind === "softmax-ce-gradient")) {
    const e = s.expr as Extract<Expr, { op: "div" }>;
    const diff = e.a as Extract<Expr, { op: "sub" }>;
    const twice: Expr = { op: "mul", args: [{ op: "const", value: 2 }, e] };
    const pRef = diff.a;
    list.push({ id: "mse-gradient", family: "loss", title: "The MSE gradient in a cross-entropy network", explain: "You used $2(\\hat y - y)/N$, the gradient of the squared error. With softmax and cross-entropy the gradient is $(\\hat y - y)/N$.", priority: 11, edits: new Map([[s.name, twice]]) });
    list.push({
      id: "mse-gradient-through-softmax",
      family: "loss",
      title: "The MSE gradient through the softmax",
      explain: "You pushed the squared error's gradient $2(\\hat y - y)$ through the softmax's diagonal $\\hat y(1 - \\hat y)$. With cross-entropy the softmax's Jacobian and the log's $1/\\hat y$ cancel: $\\partial J/\\partial z = (\\hat y - y)/N$.",
      priority: 11,
      edits: new Map([[s.name, { op: "mul", args: [twice, pRef, { op: "sub", a: { op: "const", value: 1 }, b: pRef }] }]]),
    });
    // The squared error with the ½ convention, (ŷ − y)ŷ(1 − ŷ), pushed through the softmax's diagonal.
    list.push({
      id: "mse-gradient-through-softmax",
      family: "loss",
      title: "The MSE gradient through the softmax",
      explain: "You pushed the squared error's gradient $\\hat y - y$ through the softmax's diagonal $\\hat y(1 - \\hat y)$. With cross-entropy the softmax's Jacobian and the log's $1/\\hat y$ cancel: $\\partial J/\\partial z = (\\hat y - y)/N$.",
      priority: 11,
      edits: new Map([[s.name, { op: "mul", args: [e, pRef, { op: "sub", a: { op: "const", value: 1 }, b: pRef }] }]]),
    });
    // The gradient on the label's class only, (ŷ − 1)/N there and 0 elsewhere: the softmax's coupling forgotten.
    const y = diff.b;
    const n = e.b;
    list.push({
      id: "gradient-on-the-label-only",
      family: "loss",
      title: "∂J/∂z on the label's class only",
      explain: `Your ${label(p, s.name)} is $(\\hat y - 1)/N$ on each example's label and 0 on the other classes. Every logit moves every probability through the softmax, so every class gets a gradient: $\\partial J/\\partial z_k = (\\hat y_k - y_k)/N$, which is $\\hat y_k/N$ on the other classes.`,
      priority: 11,
      edits: new Map([[s.name, { op: "mul", args: [y, e] }]]),
    });
    list.push({
      id: "gradient-with-respect-to-probabilities",
      family: "loss",
      title: "∂J/∂ŷ returned where ∂J/∂z belongs",
      explain: `You returned $-y/(N\\hat y)$, the gradient of the cross-entropy with respect to the probabilities $\\hat y = \\mathrm{softmax}(z)$. ${label(p, s.name)} is the gradient with respect to the logits $z$: through the softmax, whose Jacobian cancels the $1/\\hat y$, it is $(\\hat y - y)/N$.`,
      priority: 11,
      edits: new Map([[s.name, { op: "div", a: { op: "neg", a: { op: "div", a: y, b: pRef } }, b: n }]]),
    });
    // The loss itself, −y log ŷ (per entry, over N), where its gradient belongs.
    const probabilities = isRef(pRef) ? p.statements.find((t) => t.name === pRef.name)?.expr : undefined;
    if (probabilities?.op === "softmax")
      list.push({
        id: "loss-for-its-gradient",
        family: "loss",
        title: "The loss used where its gradient belongs",
        explain: `You returned $-y \\log \\hat y / N$, the cross-entropy itself entry by entry, where its gradient belongs: ${label(p, s.name)} is $(\\hat y - y)/N$.`,
        priority: 11,
        edits: new Map([[s.name, { op: "div", a: { op: "neg", a: { op: "mul", args: [y, { op: "logsoftmax", a: probabilities.a, axis: probabilities.axis, variant: "log-of-softmax" }] } }, b: n }]]),
      });
  }
  // The squared error's gradient 2(ŷ − y) and its neighbour: the loss (ŷ − y)² itself in its place.
  for (const s of p.statements.filter((x) => x.kind === "squared-error-gradient")) {
    const diff = (s.expr as Extract<Expr, { op: "mul" }>).args.find((a) => a.op === "sub") as Extract<Expr, { op: "sub" }>;
    const yHat = isRef(diff.a) ? (sym(p, diff.a.name)?.label ?? "\\hat y") : "\\hat y";
    list.push({
      id: "loss-for-its-gradient",
      family: "loss",
      title: "The loss used where its derivative belongs",
      explain: `You used the loss $\\ell = (${yHat} - y)^2$ itself where its derivative belongs: ${label(p, s.name)} is $2(${yHat} - y)$.`,
      priority: 11,
      edits: new Map([[s.name, { op: "mul", args: [diff, diff] }]]),
    });
  }
  list.sort((a, b) => a.priority - b.priority);
  programCandidates.set(p, list);
  return list;
}

// Generic findings for what no slip of the grammar explains: facts read off the numbers, marked
// `generic: true`, never a guess at which line is wrong.
//   unassigned  entries never written (undefined/holes: seen by the harness, so named, not generic), or
//               zeros where every other entry is right
//   non-finite  NaN or ∞ where the right value is finite, traced to where it arose: an entry never
//               assigned, a 0/0 at a kink, or the rows of this case whose values really break an
//               exponential (e^z past 709, a row all below −745, a probability underflowed to 0)
//   factor      the right values times a factor: one constant, or N, K, N·K … of each case
//   entrywise   the right values times (or divided by) one of the case's own quantities (σ′, a, x, w)
//   strided     the right values written at i·s + j·t with the wrong stride or index order (a loop over a
//               flat array: right only where the strides agree, entries colliding or left at 0): named,
//               the pattern reproduces every entry of every case
//   scrambled   the right values in the wrong places (a transpose or reshape scramble), or only right
//               values, some of them misplaced, the others 0 or repeated (a partial permutation)
//   bands       some rows (or columns) right on every case and the others wrong, in one pattern on at least
//               two failing cases: only the first row right, the last column wrong, one fixed column wrong
//   partial     right on some cases only, when the cases that fail share what they are

import type { Tensor } from "@/lib/nn";
import type { TensorData } from "@/lib/sandbox";
import type { Comparisons } from "../comparisons";
import { formatNumber } from "../format";
import type { CaseTag, ExerciseModel } from "../model";
import type { Observations } from "../observe";
import type { Plan } from "../plan";
import type { Diagnosis } from "../types";
import { visit } from "../grammar/program";
import type { MistakeFamily } from "./families";
import { derivativeAt, LEAKY_SLOPE } from "../grammar/evaluate";
import { agree, close, kinkEntries, programValues, statementOf } from "./values";

type Ctx = { model: ExerciseModel; plan: Plan; obs: Observations; comparisons: Comparisons };

const finding = (id: string, family: MistakeFamily, title: string, message: string, tensor: string, generic = true): Diagnosis => ({ id, family, ...(generic ? { generic: true as const } : {}), title, message, tensor });
const label = (ctx: Ctx, o: string) => `$${ctx.model.outputs[o].label}$`;
const caseName = (ctx: Ctx, k: number) => `“${ctx.plan.cases[k].name}”`;

/** Cases where the output came back with the right shape but wrong values. */
const wrongCases = (ctx: Ctx, o: string) => ctx.plan.cases.map((_, k) => k).filter((k) => ctx.comparisons.outputs[k][o].status === "wrong");

function unassigned(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = wrongCases(ctx, o);
  if (!ks.length) return undefined;
  // Holes and undefined entries, as the harness saw them.
  const holes = ks.find((k) => ctx.obs.unassigned[k][o]?.length);
  if (holes !== undefined)
    // Seen, not inferred: the harness read these entries as holes or undefined, so this is a name, not a hint.
    return finding(
      "entries-never-assigned",
      "unassigned",
      "Entries never assigned",
      `Some entries of ${label(ctx, o)} are never assigned (entry ${ctx.obs.unassigned[holes][o].join(", ")} on the case ${caseName(ctx, holes)}): an array slot left empty reads as undefined, which becomes NaN. Look at the bounds of your loop.`,
      o,
      false,
    );
  // Zeros exactly where the right value is not, everything else right: a slot left at its initial 0.
  const zeroed = ks.every((k) => {
    const got = ctx.obs.outputs[k][o];
    const ref = ctx.plan.references[k][o];
    let zeros = 0;
    for (let i = 0; i < ref.data.length; i++) {
      if (got.data[i] === ref.data[i] || Math.abs(got.data[i] - ref.data[i]) <= 1e-7 * Math.abs(ref.data[i]) + 1e-12) continue;
      if (got.data[i] !== 0) return false;
      zeros++;
    }
    return zeros > 0;
  });
  if (zeroed)
    return finding(
      "left-at-zero",
      "unassigned",
      "Part of the result never computed",
      `${label(ctx, o)} is 0 where the right value is not, and right everywhere else: part of it is never computed (a result allocated with zeros and not filled in, a loop's bounds), or a condition sets it to 0 where it should not (a mask's threshold).`,
      o,
    );
  return undefined;
}

function nonFinite(ctx: Ctx, o: string): Diagnosis | undefined {
  for (const k of wrongCases(ctx, o)) {
    const got = ctx.obs.outputs[k][o];
    const ref = ctx.plan.references[k][o];
    const bad: number[] = [];
    for (let i = 0; i < got.data.length; i++) if (!Number.isFinite(got.data[i]) && Number.isFinite(ref.data[i])) bad.push(i);
    if (!bad.length) continue;
    const what = `${label(ctx, o)} is ${formatNumber(got.data[bad[0]])} on the case ${caseName(ctx, k)} where the right value is ${formatNumber(ref.data[bad[0]])}`;
    // An entry never assigned elsewhere in this case's results, carried into this one.
    if (Object.values(ctx.obs.unassigned[k]).some((u) => u.length))
      return finding("nan-from-unassigned", "unassigned", "NaN from an entry never assigned", `${what}: it comes from an array entry that was never assigned (undefined becomes NaN in arithmetic).`, o);
    // On an exact kink: a 0/0 such as a/z for ReLU′ — at the very entries where the pre-activation is 0 when
    // the output has its shape, else on no case but those where some unit sits on its kink.
    const kinks = kinksOn(ctx, k);
    const at = kinks.find((z) => z.at.size && (z.size === got.data.length ? bad.every((i) => z.at.has(i)) : blowsUpOnlyAtKinks(ctx, o)));
    if (at)
      return finding("nan-at-kink", "stability", "NaN at the kink", `${what}, exactly where $${at.label} = 0$: a $0/0$ at the kink (e.g. ReLU′ computed as $a/z$). Decide the kink by a comparison, $[z \\ge 0]$.`, o);
    // A real overflow or underflow: only where this case's own values break an exponential, and said where.
    const breaks = exponentialsBreak(ctx, k, o, bad);
    if (breaks.length) {
      const overflow = breaks.some((b) => b.overflow);
      return finding(
        overflow ? "overflow" : "underflow",
        "stability",
        `NaN or ∞ from ${overflow ? "an overflow" : "an underflow"}`,
        `${what}, and that is where this case's values break an exponential: ${breaks.map((b) => b.words).join("; ")}. ` +
          [...new Set(breaks.map((b) => FIX[b.fix]))].join(" "),
        o,
      );
    }
    return finding("non-finite", "stability", "NaN or ∞ in the result", `${what}: something divides by zero, takes $\\log 0$ or multiplies $0 \\cdot \\infty$ on this case.`, o);
  }
  return undefined;
}

const EXP_MAX = 709; // e^z is ∞ past this
const EXP_MIN = -745; // and exactly 0 below this
const FIX = {
  softmax: "Subtract each row's own maximum before exponentiating, and take the log of a probability as $z - m - \\log \\sum_k e^{z_k - m}$, never the log of one that has underflowed to 0.",
  sigmoid: "Write $\\sigma(z)$ as $1/(1 + e^{-z})$ for $z \\ge 0$ and $e^{z}/(1 + e^{z})$ for $z < 0$, so that the exponent is never positive.",
  // A σ that is exactly 0 is right; what breaks is a formula that divides by it or multiplies e^{−z} by it.
  sigmoidZero: "Take the slope from the forward's $a$ as $\\sigma'(z) = a(1 - a)$, which stays finite: never divide by $\\sigma(z)$, or multiply it by $e^{-z}$.",
};
type Break = { overflow: boolean; fix: keyof typeof FIX; words: string };

/**
 * Where the exponentials of the lecture's computation break on case k: the rows of a softmax's input whose
 * e^z overflows, all underflow (0/0) or partly underflow (a probability of exactly 0: log 0, y/0), and a
 * sigmoid's inputs past ±709. When the output has a row per example like the softmax's input, only the
 * rows where the student's output is NaN or ∞ (`bad` entries) are told.
 */
function exponentialsBreak(ctx: Ctx, k: number, o: string, bad: number[]): Break[] {
  const base = programValues(ctx.model, ctx.plan)[k];
  const out: Break[] = [];
  const seen = new Set<string>();
  const got = ctx.obs.outputs[k][o];
  for (const s of ctx.model.program.statements)
    visit(s.expr, [], (node) => {
      if (!((node.op === "softmax" || node.op === "logsoftmax" || (node.op === "act" && node.fn === "sigmoid")) && node.a.op === "ref") || seen.has(node.a.name)) return;
      seen.add(node.a.name);
      const z = base.get(node.a.name);
      if (!z) return;
      const name = `$${ctx.model.program.symbols[node.a.name]?.label ?? node.a.name}$`;
      if (node.op === "act") {
        // Entry by entry: the inputs where the student's output blew up, when it has the input's shape.
        const at = got && got.data.length === z.size ? bad.map((i) => z.data[i]) : Array.from(z.data);
        const high = Math.max(...at);
        const low = Math.min(...at);
        if (high > EXP_MAX) out.push({ overflow: true, fix: "sigmoid", words: `${name} reaches ${formatNumber(high, 3)}, where $e^{z}$ overflows to $\\infty$ and $e^{z}/(1 + e^{z})$ is $\\infty/\\infty$` });
        if (low < -EXP_MAX)
          // e^{−z} overflows here whatever the formula; the held-out mistakes that break here recompute σ′ from z
          // (∞/∞), and one that divides by σ would break at the same z: the words and the remedy cover both.
          out.push({
            overflow: true,
            fix: "sigmoidZero",
            words: `${name} reaches ${formatNumber(low, 3)}, where $e^{-z}$ overflows to $\\infty$ and $\\sigma(z)$ is 0 or nearly: dividing by $\\sigma(z)$, or multiplying $e^{-z}$ by it, gives $\\infty$ or $\\infty \\cdot 0$ = NaN`,
          });
        return;
      }
      if (z.shape.length !== 2) return;
      const [n, K] = z.shape;
      // Rows of the student's output that hold the NaN, when its rows are the same examples.
      const rows = got && got.shape.length === 2 && got.shape[0] === n ? new Set(bad.map((i) => Math.floor(i / got.shape[1]))) : undefined;
      for (let r = 0; r < n; r++) {
        if (rows && !rows.has(r)) continue;
        const row = z.data.subarray(r * K, r * K + K);
        const high = Math.max(...row);
        const low = Math.min(...row);
        const where = `row ${r + 1} of ${name}`;
        if (high > EXP_MAX) out.push({ overflow: true, fix: "softmax", words: `${where} holds ${formatNumber(high, 3)}, whose $e^{z}$ overflows to $\\infty$ ($\\infty/\\infty$ is NaN)` });
        else if (high < EXP_MIN) out.push({ overflow: false, fix: "softmax", words: `${where} lies entirely below ${formatNumber(EXP_MIN)}, where every $e^{z}$ underflows to 0 ($0/0$ is NaN)` });
        if (high - low > -EXP_MIN) out.push({ overflow: false, fix: "softmax", words: `${where} spans ${formatNumber(high - low, 3)}, so even after subtracting its maximum the smallest probabilities underflow to exactly 0 ($\\log 0 = -\\infty$, and $y/0$ or $0 \\cdot \\infty$)` });
      }
    });
  return out;
}

type Local = { fn: "sigmoid" | "relu" | "step"; z: string; a: string };
const localsOf = new WeakMap<ExerciseModel, Local[]>();

/** The program's activation derivatives g′(z) over named z and a: the chain rule's local factors, and where the kinks are. */
function localDerivatives(model: ExerciseModel): Local[] {
  let out = localsOf.get(model);
  if (out) return out;
  const found: Local[] = [];
  const seen = new Set<string>();
  for (const s of model.program.statements)
    visit(s.expr, [], (node) => {
      if (node.op !== "dact" || node.z.op !== "ref" || node.a.op !== "ref" || seen.has(`${node.fn}:${node.z.name}`)) return;
      seen.add(`${node.fn}:${node.z.name}`);
      found.push({ fn: node.fn, z: node.z.name, a: node.a.name });
    });
  localsOf.set(model, (out = found));
  return out;
}

const symbolLabel = (ctx: Ctx, name: string) => ctx.model.program.symbols[name]?.label ?? name;

/** The pre-activations of a ReLU or step on case k, each with the entries exactly at its kink (0). */
function kinksOn(ctx: Ctx, k: number): { label: string; size: number; at: Set<number> }[] {
  const base = programValues(ctx.model, ctx.plan)[k];
  return localDerivatives(ctx.model).flatMap((d) => {
    const z = d.fn === "sigmoid" ? undefined : base.get(d.z);
    if (!z) return [];
    const at = new Set<number>();
    z.data.forEach((v, i) => v === 0 && at.add(i));
    return [{ label: symbolLabel(ctx, d.z), size: z.size, at }];
  });
}

/** Output o blows up (NaN or ∞ where the right value is finite) on some case, and only on cases with a unit on its kink. */
function blowsUpOnlyAtKinks(ctx: Ctx, o: string): boolean {
  const blows = ctx.plan.cases
    .map((_, k) => k)
    .filter((k) => {
      const got = ctx.obs.outputs[k][o];
      const ref = ctx.plan.references[k][o];
      return got && got.data.length === ref.data.length && got.data.some((v, i) => !Number.isFinite(v) && Number.isFinite(ref.data[i]));
    });
  return blows.length > 0 && blows.every((k) => kinksOn(ctx, k).some((z) => z.at.size));
}

/** got ≈ c·ref on one case (c by least squares), or undefined. */
function factorOn(got: TensorData, ref: Tensor): number | undefined {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.data.length; i++) {
    num += got.data[i] * ref.data[i];
    den += ref.data[i] * ref.data[i];
  }
  if (den === 0 || !Number.isFinite(num)) return undefined;
  const c = num / den;
  return agree(got, { shape: ref.shape, data: ref.data.map((v) => v * c) }) ? c : undefined;
}

/**
 * The sizes a factor may be made of on a case: N, the rows of its first matrix input (the batch), and the
 * columns of each matrix input by name (the classes, the inputs or outputs of a layer), equal or not to N.
 */
function sizesOf(c: { inputs: Record<string, Tensor> }): { N?: number; columns: Record<string, number> } {
  const out: { N?: number; columns: Record<string, number> } = { columns: {} };
  for (const [name, t] of Object.entries(c.inputs))
    if (t.shape.length === 2) {
      out.N ??= t.shape[0];
      out.columns[name] = t.shape[1];
    }
  return out;
}

function factor(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = wrongCases(ctx, o);
  if (!ks.length) return undefined;
  const cs: number[] = [];
  for (const k of ctx.plan.cases.keys()) {
    const got = ctx.obs.outputs[k][o];
    const ref = ctx.plan.references[k][o];
    if (!got || ctx.comparisons.outputs[k][o].status === "shape") return undefined;
    if (ref.data.every((v) => v === 0)) {
      cs.push(NaN);
      continue;
    }
    const c = factorOn(got, ref);
    if (c === undefined) return undefined;
    cs.push(c);
  }
  const known = cs.map((c, k) => [c, k] as const).filter(([c]) => !Number.isNaN(c));
  if (!known.length) return undefined; // the right answer is 0 everywhere: no factor to find
  const same = known.every(([c]) => Math.abs(c - known[0][0]) <= 1e-6 * Math.abs(known[0][0]));
  if (same) {
    const c = known[0][0];
    if (c === -1 || Math.abs(c + 1) < 1e-9) return finding("negated", "sign", "Sign flipped", `${label(ctx, o)} is exactly the negative of the right one on every case: a sign is flipped somewhere.`, o);
    return finding("constant-factor", "scale", "Off by a constant factor", `${label(ctx, o)} is ${formatNumber(c)} × the right one on every case: a constant factor is missing or extra (the 2 of a square, a $1/N$).`, o);
  }
  // A factor that follows the case's sizes: N, 1/N, N², K, 1/K, N·K … with K the columns of one matrix input.
  type Sizes = ReturnType<typeof sizesOf>;
  const forms: { name: string; of?: string; f: (d: Sizes) => number | undefined }[] = [];
  for (const [name, e] of [["N", 1], ["N^2", 2], ["1/N", -1], ["1/N^2", -2]] as const) forms.push({ name, f: (d) => (d.N === undefined ? undefined : d.N ** e) });
  for (const input of Object.keys(sizesOf(ctx.plan.cases[0]).columns))
    for (const [name, f] of [
      ["K", (d: Sizes) => d.columns[input]],
      ["1/K", (d: Sizes) => 1 / d.columns[input]],
      ["NK", (d: Sizes) => (d.N ?? NaN) * d.columns[input]],
      ["1/(NK)", (d: Sizes) => 1 / ((d.N ?? NaN) * d.columns[input])],
    ] as const)
      forms.push({ name, of: input, f: (d) => (d.columns[input] === undefined ? undefined : f(d)) });
  for (const sign of [1, -1])
    for (const { name, of, f } of forms) {
      const fits = known.every(([c, k]) => {
        const v = f(sizesOf(ctx.plan.cases[k]));
        return v !== undefined && Number.isFinite(v) && Math.abs(c - sign * v) <= 1e-6 * Math.abs(v);
      });
      if (fits)
        return finding(
          "size-factor",
          "scale",
          `Off by a factor of ${name}`,
          `${label(ctx, o)} is ${sign < 0 ? "−" : ""}$${name}$ × the right one on every case ($N$ the batch size${of ? `, $K$ the number of columns of $${ctx.model.program.symbols[of]?.label ?? of}$` : ""}): a division by the batch size is missing, extra, or by the wrong size.`,
          o,
        );
    }
  return undefined;
}

type Factor = { label: string; derivative: boolean; of: (k: number) => Float64Array | undefined };

const PRIME_LABEL = { sigmoid: "\\sigma'", relu: "\\mathrm{ReLU}'" } as const;

/**
 * The case's own quantities an output could be wrongly multiplied or divided by, entry by entry: the named
 * forward values (x, a, z, w …) and the chain rule's local derivatives g′(z) — entry by entry when they have
 * the output's size, or one per layer when the output stacks per-layer results (∂J/∂w_ℓ for ℓ = 1 … L).
 */
function factorsFor(ctx: Ctx, o: string): Factor[] {
  const base = programValues(ctx.model, ctx.plan);
  const { symbols, statements } = ctx.model.program;
  const out: Factor[] = [];
  for (const [name, s] of Object.entries(symbols))
    if (s.role && s.role !== "gradient" && s.role !== "target") out.push({ label: s.label, derivative: false, of: (k) => base[k].get(name)?.data });
  const prime = (d: Local, k: number): Float64Array | undefined => {
    const z = base[k].get(d.z);
    const a = base[k].get(d.a);
    return z && a && z.size === a.size ? z.data.map((v, i) => derivativeAt(d.fn, undefined, v, a.data[i], 0, 1, LEAKY_SLOPE)) : undefined;
  };
  const stacked = statements.find((st) => st.name === statementOf(ctx.model, o))?.expr;
  const layers = stacked?.op === "stack" && stacked.args.every((e) => e.op === "ref") ? stacked.args.map((e) => (e.op === "ref" ? symbols[e.name]?.layer : undefined)) : undefined;
  for (const fn of ["sigmoid", "relu"] as const) {
    const locals = localDerivatives(ctx.model).filter((d) => d.fn === fn);
    for (const d of locals) out.push({ label: `${PRIME_LABEL[fn]}(${symbolLabel(ctx, d.z)})`, derivative: true, of: (k) => prime(d, k) });
    // One local derivative per layer, in the order the output stacks its layers.
    const perLayer = layers?.map((l) => locals.filter((d) => l !== undefined && symbols[d.z]?.layer === l));
    if (perLayer?.every((ds) => ds.length === 1))
      out.push({
        label: `${PRIME_LABEL[fn]}(${symbolLabel(ctx, perLayer[0][0].z).replace(/_\{?\d+\}?$/, "_\\ell")})`,
        derivative: true,
        of: (k) => {
          const parts = perLayer.map(([d]) => prime(d, k));
          return parts.every((p) => p?.length === 1) ? Float64Array.from(parts, (p) => p![0]) : undefined;
        },
      });
  }
  return out;
}

/** got ≈ ref ⊙ F or ref ⊘ F for one of the case's own quantities F (factorsFor). */
function entrywise(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = wrongCases(ctx, o);
  if (!ks.length) return undefined;
  // An extra factor in a chain of derivatives (∂J/∂a ⊙ g′) is a wrong derivative; elsewhere a wrong operand.
  const inChain = JSON.stringify(ctx.model.program.statements.find((st) => st.name === statementOf(ctx.model, o))?.expr ?? {}).includes('"dact"');
  for (const f of factorsFor(ctx, o)) {
    for (const op of ["times", "over"] as const) {
      const fits = ctx.plan.cases.every((_, k) => {
        const got = ctx.obs.outputs[k][o];
        const ref = ctx.plan.references[k][o];
        const F = f.of(k);
        if (!got) return true;
        if (!F || F.length !== ref.data.length || got.data.length !== ref.data.length) return false;
        const want = ref.data.map((v, i) => (op === "times" ? v * F[i] : F[i] === 0 ? v : v / F[i]));
        return agree(got, { shape: ref.shape, data: want }, kinkEntries(ctx.plan, k, o));
      });
      if (fits && ks.some((k) => !agree(ctx.obs.outputs[k][o], ctx.plan.references[k][o])))
        return finding(
          op === "times" ? "extra-factor" : "missing-factor",
          op === "times" ? (f.derivative || inChain ? "activation-derivative" : "wrong-operand") : "missing-derivative",
          op === "times" ? "An extra factor" : "A factor missing",
          op === "times"
            ? `${label(ctx, o)} is the right one multiplied, entry by entry, by $${f.label}$: a factor that does not belong in its chain rule.`
            : `${label(ctx, o)} is the right one divided, entry by entry, by $${f.label}$: that factor of the chain rule is missing.`,
          o,
        );
    }
  }
  return undefined;
}

/** The right answer on case k in the convention the student's output follows (PyTorch's 0 at a kink, or the lecture's). */
const truth = (ctx: Ctx, k: number, o: string): Tensor => (ctx.comparisons.outputs[k][o].convention === "zero-at-kink" && ctx.plan.kinkReferences[k][o]) || ctx.plan.references[k][o];

/** A size a stride is made of: 1, or a dimension of the output or of a matrix input, in words. */
type Size = { words: string; of: (k: number, shape: readonly number[]) => number };

function sizesFor(ctx: Ctx): Size[] {
  const sizes: Size[] = [
    { words: "1", of: () => 1 },
    { words: `its own number of columns`, of: (_k, shape) => shape[1] },
    { words: `its own number of rows`, of: (_k, shape) => shape[0] },
  ];
  for (const [name, t] of Object.entries(ctx.plan.cases[0].inputs))
    if (t.shape.length === 2)
      for (const axis of [1, 0] as const) {
        const what = `$${ctx.model.program.symbols[name]?.label ?? name}$`;
        sizes.push({ words: `the number of ${axis === 1 ? "columns" : "rows"} of ${what}`, of: (k) => ctx.plan.cases[k].inputs[name].shape[axis] });
      }
  return sizes;
}

type Stride = { row: Size; col: Size; order: "rows" | "columns" | "accumulate" };

/**
 * Entry [i, j] of the right tensor written at position i·row + j·col of a zero-filled flat array of the same
 * size; out-of-range positions are dropped (a typed array ignores them). Where two entries land on one
 * position the later write wins (loops over the rows outside, or the columns outside) or they add up (+=).
 */
function writeStrided(ref: Tensor, row: number, col: number, order: Stride["order"]): Float64Array {
  const [n, m] = ref.shape;
  const out = new Float64Array(ref.size);
  const put = (i: number, j: number) => {
    const at = i * row + j * col;
    if (at < out.length) out[at] = order === "accumulate" ? out[at] + ref.data[i * m + j] : ref.data[i * m + j];
  };
  if (order === "columns") for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) put(i, j);
  else for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) put(i, j);
  return out;
}

/**
 * The right values written with the wrong stride or index order, reproduced entry for entry on every case
 * the output came back on (right ones included), and differing from the right answer on some: a fact about
 * the code's indexing, so a name. The first pattern in the sizes' order that fits is told.
 */
function strided(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = ctx.plan.cases.map((_, k) => k).filter((k) => ctx.obs.outputs[k][o]);
  if (!ks.length || ks.some((k) => ctx.comparisons.outputs[k][o].status === "shape" || truth(ctx, k, o).shape.length !== 2)) return undefined;
  const evidence = wrongCases(ctx, o);
  if (!evidence.length) return undefined;
  const sizes = sizesFor(ctx);
  const tried = new Set<string>();
  for (const row of sizes)
    for (const col of sizes)
      for (const order of ["rows", "columns", "accumulate"] as const) {
        const strides = ks.map((k) => [row.of(k, truth(ctx, k, o).shape), col.of(k, truth(ctx, k, o).shape)]);
        // The same numbers on every case as a pattern already tried (two names for one size), or i and j
        // given one stride (a pattern no loop writes), or the right layout itself.
        const key = `${order}:${strides.join(";")}`;
        if (tried.has(key)) continue;
        tried.add(key);
        if (strides.every(([r, c]) => r === c) || ks.every((k, i) => strides[i][0] === truth(ctx, k, o).shape[1] && strides[i][1] === 1)) continue;
        let differs = false;
        const fits = ks.every((k, i) => {
          const ref = truth(ctx, k, o);
          const want = { shape: ref.shape, data: writeStrided(ref, strides[i][0], strides[i][1], order) };
          if (!agree(ctx.obs.outputs[k][o], want)) return false;
          if (evidence.includes(k) && !agree(want, ref)) differs = true;
          return true;
        });
        if (fits && differs) return stridedFinding(ctx, o, { row, col, order }, evidence[0]);
      }
  return undefined;
}

function stridedFinding(ctx: Ctx, o: string, { row, col, order }: Stride, k: number): Diagnosis {
  const shape = truth(ctx, k, o).shape;
  const term = (s: Size, index: string) => (s.words === "1" ? index : `${index} \\cdot ${s.of(k, shape)}`);
  const strideWords = (s: Size, what: string) => (s.words === "1" ? "" : ` (the ${s.of(k, shape)} ${what} ${s.words})`);
  return finding(
    `${o}-written-at-wrong-stride`,
    "indexing",
    "Entries written with the wrong stride",
    `${label(ctx, o)} holds the right numbers written to the wrong places of its flat data: on the case ${caseName(ctx, k)}, entry $[i, j]$ goes to position $${term(row, "i")} + ${term(col, "j")}$${strideWords(row, "multiplying $i$ is")}${strideWords(col, "multiplying $j$ is")}, ` +
      `where a row-major ${shape[0]} × ${shape[1]} tensor keeps it at $i \\cdot ${shape[1]} + j$ (row $i$ starts after $i$ rows of ${shape[1]}, its own number of columns). ` +
      `That gives the right answer only on cases where the two strides happen to be equal (a square layer); elsewhere entries ${order === "accumulate" ? "land on one position and add up" : "overwrite each other"}, and the positions nothing reaches stay 0.`,
    o,
    false,
  );
}

function scrambled(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = wrongCases(ctx, o).filter((k) => ctx.obs.outputs[k][o].data.length > 1);
  if (!ks.length) return undefined;
  const sorted = (d: ArrayLike<number>) => Array.from(d).sort((a, b) => a - b);
  const same = ks.every((k) => {
    const a = sorted(ctx.obs.outputs[k][o].data);
    const b = sorted(truth(ctx, k, o).data);
    return agree({ shape: [a.length], data: Float64Array.from(a) }, { shape: [b.length], data: Float64Array.from(b) });
  });
  if (same)
    return finding("values-misplaced", "indexing", "The right values in the wrong places", `${label(ctx, o)} holds the right numbers, but in the wrong places: an index is swapped somewhere (a transpose, a reshape, or $[i, j]$ read as $[j, i]$).`, o);
  // A partial permutation: every entry is 0 or one of the right values, and some right value sits where it does not belong.
  let misplaced = false;
  const partly = ks.every((k) => {
    const got = ctx.obs.outputs[k][o].data;
    const ref = truth(ctx, k, o).data;
    for (let i = 0; i < got.length; i++) {
      if (got[i] === 0 || close(got[i], ref[i])) continue;
      // The value must be one only one entry of the right answer holds: a 0/1 mask's 1 would fit anywhere.
      const from = Array.from(ref).filter((v) => close(got[i], v)).length;
      if (from !== 1) return false;
      misplaced = true;
    }
    return true;
  });
  return partly && misplaced
    ? finding(
        "values-misplaced",
        "indexing",
        "The right values in the wrong places",
        `Every entry of ${label(ctx, o)} is 0 or one of the right numbers, but some of them sit in the wrong places: an index is wrong somewhere (a loop's stride or index order, $[i, j]$ read as $[j, i]$), so some entries collide and others are never written.`,
        o,
      )
    : undefined;
}

type Band = "all-but-first" | "all-but-last" | "first" | "last" | number;

/** The patterns a case's wrong lines (rows or columns, out of `n`) fit; a case with every line right fits all. */
function bandsOf(wrong: boolean[]): Band[] | "right" {
  const n = wrong.length;
  const bad = wrong.flatMap((w, i) => (w ? [i] : []));
  if (!bad.length) return "right";
  const only = (...is: number[]) => bad.length === is.length && is.every((i, j) => bad[j] === i);
  const out: Band[] = [];
  if (n > 1 && only(...Array.from({ length: n - 1 }, (_, i) => i + 1))) out.push("all-but-first");
  if (n > 1 && only(...Array.from({ length: n - 1 }, (_, i) => i))) out.push("all-but-last");
  if (n > 1 && only(0)) out.push("first");
  if (n > 1 && only(n - 1)) out.push("last");
  if (n > 1 && bad.length === 1) out.push(bad[0]);
  return out;
}

/**
 * Rows (or columns) that are right on every case while the others are wrong, in one pattern on every case:
 * only the first row right (a term added to row 0 only, a loop that stops after it), the last column wrong
 * (a loop one short), one fixed column wrong. Facts about where, not a guess at which line.
 */
function bands(ctx: Ctx, o: string): Diagnosis | undefined {
  if (!wrongCases(ctx, o).length) return undefined;
  for (const axis of [0, 1] as const) {
    let fits: Band[] | undefined;
    let seen = 0;
    for (const k of ctx.plan.cases.keys()) {
      const cmp = ctx.comparisons.outputs[k][o];
      if (cmp.status === "missing") continue;
      if (cmp.status === "shape" || cmp.expected.shape.length !== 2) return undefined;
      const got = ctx.obs.outputs[k][o];
      const ref = cmp.expected;
      const [n, m] = ref.shape;
      const skip = kinkEntries(ctx.plan, k, o);
      const lineWrong = Array.from({ length: axis === 0 ? n : m }, (_, line) => {
        const idx = axis === 0 ? Array.from({ length: m }, (_, j) => line * m + j) : Array.from({ length: n }, (_, i) => i * m + line);
        const pick = (d: ArrayLike<number>) => Float64Array.from(idx, (i) => d[i]);
        const kinks = skip && new Set(idx.flatMap((i, j) => (skip.has(i) ? [j] : [])));
        return !agree({ shape: [idx.length], data: pick(got.data) }, { shape: [idx.length], data: pick(ref.data) }, kinks);
      });
      const b = bandsOf(lineWrong);
      if (b === "right") continue;
      seen++;
      fits = (fits ?? b).filter((x) => b.includes(x));
      if (!fits.length) break;
    }
    // A pattern is what repeats: one wrong case's lines are only where that case went wrong (the partial finding's province).
    const band = seen > 1 ? fits?.[0] : undefined;
    if (band === undefined) continue;
    const line = axis === 0 ? "row" : "column";
    const words =
      band === "all-but-first"
        ? `only the first ${line} of ${label(ctx, o)} is right on every case; every other ${line} is wrong. Something reaches the first ${line} only${axis === 0 ? " (the first example): a term added to row 0 alone, or a loop over the rows that stops after it" : ""}`
        : band === "all-but-last"
          ? `only the last ${line} of ${label(ctx, o)} is right on every case; every other ${line} is wrong`
          : band === "first"
            ? `the first ${line} of ${label(ctx, o)} is wrong on every case, and every other ${line} is right: the first ${line} is treated differently (a loop that starts at 1, or a special case for index 0)`
            : band === "last"
              ? `the last ${line} of ${label(ctx, o)} is wrong on every case, and every other ${line} is right: a loop that stops one short of the last ${line}`
              : `${line} ${band + 1} of ${label(ctx, o)} is wrong on every case, and every other ${line} is right`;
    return finding(`${line}s-partly-right`, "indexing", `Some ${line}s right, others wrong`, `${words.charAt(0).toUpperCase()}${words.slice(1)}.`, o);
  }
  return undefined;
}

function partial(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = ctx.plan.cases.map((_, k) => k);
  const wrong = ks.filter((k) => ctx.comparisons.outputs[k][o].status === "wrong");
  const right = ks.filter((k) => ctx.comparisons.outputs[k][o].status === "right");
  if (!wrong.length || !right.length) return undefined;
  const tagged = (k: number, t: CaseTag) => ctx.plan.cases[k].tags.includes(t);
  const names = (xs: number[]) => xs.map((k) => caseName(ctx, k)).join(", ");
  if (wrong.every((k) => tagged(k, "large")))
    return finding("wrong-for-large-values", "stability", "Wrong only for large values", `${label(ctx, o)} is right on every case except ${names(wrong)}, the one with large values: the formula is right but not numerically stable there.`, o);
  if (right.every((k) => tagged(k, "batch-of-one") || tagged(k, "zeros")) && wrong.every((k) => !tagged(k, "batch-of-one")))
    return finding(
      "wrong-for-batches",
      "reduction",
      "Right on a batch of one only",
      `${label(ctx, o)} is right on ${names(right)} and wrong on every batch of several examples: look at how the examples of a batch are combined (a sum over the batch, a division by $N$, which axis).`,
      o,
    );
  return undefined;
}

const DETECTORS = [unassigned, nonFinite, factor, entrywise, strided, scrambled, bands, partial];

/** The first generic finding about output `o`, if any. */
export function describeWrong(ctx: Ctx, o: string): Diagnosis | undefined {
  for (const d of DETECTORS) {
    const f = d(ctx, o);
    if (f) return f;
  }
  return undefined;
}

// Generic findings for what no slip of the grammar explains: facts read off the numbers, marked
// `generic: true`, never a guess at which line is wrong.
//   unassigned  entries never written (undefined/holes, or zeros where every other entry is right)
//   non-finite  NaN or ∞ where the right value is finite, traced to where it arose: an entry never
//               assigned, a 0/0 at a kink, or a case whose values really overflow an exponential
//   factor      the right values times a factor: one constant, or N, K, N·K … of each case
//   entrywise   the right values times (or divided by) one of the case's own quantities (σ′, a, x, w)
//   scrambled   the right values in the wrong places (a transpose or reshape scramble)
//   partial     right on some cases only, when the cases that fail share what they are

import type { Tensor } from "@/lib/nn";
import type { TensorData } from "@/lib/sandbox";
import type { Comparisons } from "../comparisons";
import { formatNumber } from "../format";
import type { CaseTag, ExerciseModel } from "../model";
import type { Observations } from "../observe";
import type { Plan } from "../plan";
import type { Diagnosis } from "../types";
import type { MistakeFamily } from "./families";
import { agree, kinkEntries, programValues } from "./values";

type Ctx = { model: ExerciseModel; plan: Plan; obs: Observations; comparisons: Comparisons };

const finding = (id: string, family: MistakeFamily, title: string, message: string, tensor: string): Diagnosis => ({ id, family, generic: true, title, message, tensor });
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
    return finding(
      "entries-never-assigned",
      "unassigned",
      "Entries never assigned",
      `Some entries of ${label(ctx, o)} are never assigned (entry ${ctx.obs.unassigned[holes][o].join(", ")} on the case ${caseName(ctx, holes)}): an array slot left empty reads as undefined, which becomes NaN. Look at the bounds of your loop.`,
      o,
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
      `${label(ctx, o)} is 0 where the right value is not, and right everywhere else: part of it was never computed (a result allocated with zeros and not filled in, or a key never set).`,
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
    const c = ctx.plan.cases[k];
    const what = `${label(ctx, o)} is ${formatNumber(got.data[bad[0]])} on the case ${caseName(ctx, k)} where the right value is ${formatNumber(ref.data[bad[0]])}`;
    // An entry never assigned elsewhere in this case's results, carried into this one.
    if (Object.values(ctx.obs.unassigned[k]).some((u) => u.length))
      return finding("nan-from-unassigned", "unassigned", "NaN from an entry never assigned", `${what}: it comes from an array entry that was never assigned (undefined becomes NaN in arithmetic).`, o);
    // On an exact kink: a 0/0 such as a/z for ReLU′.
    const kink = kinkPositions(c);
    if (c.tags.includes("kink") && kink && bad.every((i) => kink.has(i)))
      return finding("nan-at-kink", "stability", "NaN at the kink", `${what}, exactly where $z = 0$: a $0/0$ at the kink (e.g. ReLU′ computed as $a/z$). Decide the kink by a comparison, $[z \\ge 0]$.`, o);
    // A real overflow: only when this case's values are large enough to overflow e^z.
    const largest = Math.max(...Object.values(c.inputs).map((t) => Math.max(...t.data.map(Math.abs))));
    if (c.tags.includes("large") && largest > 700)
      return finding(
        "overflow",
        "stability",
        "NaN or ∞ from an overflow",
        `${what}. This case has values up to ${formatNumber(largest, 3)}, where $e^{z}$ overflows to $\\infty$ (past $709$) or underflows to $0$ (below $-745$), giving $\\infty/\\infty$, $0/0$ or $\\log 0$. Rewrite the formula so that no exponent is large and positive (subtract the maximum first).`,
        o,
      );
    return finding("non-finite", "stability", "NaN or ∞ in the result", `${what}: something divides by zero, takes $\\log 0$ or multiplies $0 \\cdot \\infty$ on this case.`, o);
  }
  return undefined;
}

/** Entries of a case's inputs that are exactly 0 in an input named like a pre-activation (the kink positions). */
function kinkPositions(c: { inputs: Record<string, Tensor> }): Set<number> | undefined {
  const z = c.inputs.z;
  if (!z) return undefined;
  const s = new Set<number>();
  z.data.forEach((v, i) => v === 0 && s.add(i));
  return s.size ? s : undefined;
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

/** The sizes a factor may be made of on a case: every dimension of its matrix inputs. */
function sizesOf(c: { inputs: Record<string, Tensor> }): Record<string, number> {
  const dims: Record<string, number> = {};
  for (const t of Object.values(c.inputs)) if (t.shape.length === 2) {
    dims.N ??= t.shape[0];
    if (t.shape[1] !== dims.N) dims.K ??= t.shape[1];
  }
  return dims;
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
  // A factor that follows the case's sizes: N, 1/N, K, N·K, N² …
  const forms: [string, (d: Record<string, number>) => number | undefined][] = [];
  for (const [name, e] of [["N", 1], ["N^2", 2], ["1/N", -1], ["1/N^2", -2], ["K", 1], ["1/K", -1]] as const) {
    const v = name.includes("K") ? "K" : "N";
    forms.push([name, (d) => (d[v] === undefined ? undefined : d[v] ** e)]);
  }
  forms.push(["NK", (d) => (d.N !== undefined && d.K !== undefined ? d.N * d.K : undefined)], ["1/(NK)", (d) => (d.N !== undefined && d.K !== undefined ? 1 / (d.N * d.K) : undefined)]);
  for (const sign of [1, -1])
    for (const [name, f] of forms) {
      const fits = known.every(([c, k]) => {
        const v = f(sizesOf(ctx.plan.cases[k]));
        return v !== undefined && Math.abs(c - sign * v) <= 1e-6 * Math.abs(v);
      });
      // Only informative if the sizes differ between the cases (else it is a constant, above).
      if (fits)
        return finding(
          "size-factor",
          "scale",
          `Off by a factor of ${name}`,
          `${label(ctx, o)} is ${sign < 0 ? "−" : ""}$${name.replace("1/(NK)", "1/(NK)")}$ × the right one on every case ($N$ the batch size${name.includes("K") ? ", $K$ the number of classes or outputs" : ""}): a division by the batch size is missing, extra, or by the wrong size.`,
          o,
        );
    }
  return undefined;
}

/** got ≈ ref ⊙ F or ref ⊘ F for one of the case's own quantities F (the program's values of the same shape). */
function entrywise(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = wrongCases(ctx, o);
  if (!ks.length) return undefined;
  const base = programValues(ctx.model, ctx.plan);
  const symbols = ctx.model.program.symbols;
  for (const [name, s] of Object.entries(symbols)) {
    if (!s.role || s.role === "gradient" || s.role === "target") continue;
    for (const op of ["times", "over"] as const) {
      const fits = ctx.plan.cases.every((_, k) => {
        const got = ctx.obs.outputs[k][o];
        const ref = ctx.plan.references[k][o];
        const F = base[k].get(name);
        if (!got) return true;
        if (!F || F.data.length !== ref.data.length || got.data.length !== ref.data.length) return false;
        const want = ref.data.map((v, i) => (op === "times" ? v * F.data[i] : F.data[i] === 0 ? v : v / F.data[i]));
        return agree(got, { shape: ref.shape, data: want }, kinkEntries(ctx.plan, k, o));
      });
      // An extra factor in a chain of derivatives (∂J/∂a ⊙ g′) is a wrong derivative; elsewhere a wrong operand.
      const derivative = JSON.stringify(ctx.model.program.statements.find((st) => st.name === (ctx.model.program.outputs?.[o] ?? o))?.expr ?? {}).includes('"dact"');
      if (fits && ks.some((k) => !agree(ctx.obs.outputs[k][o], ctx.plan.references[k][o])))
        return finding(
          op === "times" ? "extra-factor" : "missing-factor",
          op === "times" ? (derivative ? "activation-derivative" : "wrong-operand") : "missing-derivative",
          op === "times" ? "An extra factor" : "A factor missing",
          op === "times"
            ? `${label(ctx, o)} is the right one multiplied, entry by entry, by $${s.label}$: a factor that does not belong in its chain rule.`
            : `${label(ctx, o)} is the right one divided, entry by entry, by $${s.label}$: that factor of the chain rule is missing.`,
          o,
        );
    }
  }
  return undefined;
}

function scrambled(ctx: Ctx, o: string): Diagnosis | undefined {
  const ks = wrongCases(ctx, o).filter((k) => ctx.obs.outputs[k][o].data.length > 1);
  if (!ks.length) return undefined;
  const sorted = (d: ArrayLike<number>) => Array.from(d).sort((a, b) => a - b);
  const same = ks.every((k) => {
    const a = sorted(ctx.obs.outputs[k][o].data);
    const b = sorted(ctx.plan.references[k][o].data);
    return agree({ shape: [a.length], data: Float64Array.from(a) }, { shape: [b.length], data: Float64Array.from(b) });
  });
  return same
    ? finding("values-misplaced", "indexing", "The right values in the wrong places", `${label(ctx, o)} holds the right numbers, but in the wrong places: an index is swapped somewhere (a transpose, a reshape, or $[i, j]$ read as $[j, i]$).`, o)
    : undefined;
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

const DETECTORS = [unassigned, nonFinite, factor, entrywise, scrambled, partial];

/** The first generic finding about output `o`, if any. */
export function describeWrong(ctx: Ctx, o: string): Diagnosis | undefined {
  for (const d of DETECTORS) {
    const f = d(ctx, o);
    if (f) return f;
  }
  return undefined;
}

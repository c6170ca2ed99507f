// Each check of grading.yaml turned into a CheckResult, from the comparisons alone. Points are shared out
// per case (per case and checked input for the gradient check): one bad case of six costs a sixth.

import { agrees } from "@/lib/nn";
import { GRADCHECK_ATOL, GRADCHECK_RTOL } from "./compare";
import { formatIndex, formatList, formatNumber, formatShape, neighbourhood } from "./format";
import type { Comparisons, OutputComparison } from "./comparisons";
import type { GradcheckResult } from "./gradcheck";
import type { ExerciseModel } from "./model";
import type { Plan } from "./plan";
import type { CheckSpec } from "./spec";
import type { CheckResult } from "./types";

export type CheckContext = { model: ExerciseModel; plan: Plan; comparisons: Comparisons };

const label = (model: ExerciseModel, name: string) => `$${model.outputs[name]?.label ?? name}$`;
const labels = (model: ExerciseModel, names: readonly string[]) => names.map((n) => label(model, n)).join(", ");
const caseName = (ctx: CheckContext, k: number) => `“${ctx.plan.cases[k].name}”`;
const caseNames = (ctx: CheckContext, ks: number[]) => ks.map((k) => caseName(ctx, k)).join(", ");

function defaultTitle(check: CheckSpec, model: ExerciseModel): string {
  switch (check.type) {
    case "shapes":
      return "Output shapes";
    case "compare-reference":
      return `${labels(model, check.outputs)} match${check.outputs.length === 1 ? "es" : ""} the reference`;
    case "gradcheck":
      return "Your backward agrees with numeric differentiation of your forward";
  }
}

/** Points for `passed` of `total` units: all or nothing with `partial: false`, else shared out (to 0.01). */
function points(check: CheckSpec, passed: number, total: number): number {
  if (passed === total) return check.points;
  if (check.partial === false || total === 0) return 0;
  return Math.round((100 * check.points * passed) / total) / 100;
}

function result(check: CheckSpec, model: ExerciseModel, passed: number, total: number, message: string, details?: CheckResult["details"]): CheckResult {
  return {
    id: check.id,
    title: check.title ?? defaultTitle(check, model),
    passed: passed === total,
    points: points(check, passed, total),
    maxPoints: check.points,
    message,
    ...(details ? { details } : {}),
  };
}

function shapeMessage(ctx: CheckContext, name: string, k: number, o: OutputComparison): string {
  const got = o.got!.shape;
  const want = o.expected.shape;
  const transposed = got.length === 2 && want.length === 2 && got[0] === want[1] && got[1] === want[0];
  return `${label(ctx.model, name)} has shape ${formatShape(got)} on the case ${caseName(ctx, k)}, expected ${formatShape(want)}${transposed ? " (yours is transposed)" : ""}.`;
}

/** Why output `name` failed on case k, in one sentence (the worst entry and its neighbourhood for a wrong value). */
function failure(ctx: CheckContext, name: string, k: number): { message: string; details?: CheckResult["details"] } {
  const o = ctx.comparisons.outputs[k][name];
  if (o.status === "missing") return { message: `${label(ctx.model, name)} on the case ${caseName(ctx, k)}: ${o.why ?? "missing."}` };
  if (o.status === "shape") return { message: shapeMessage(ctx, name, k, o), details: { shape: [...o.expected.shape] } };
  const cmp = o.cmp!;
  const at = formatIndex(cmp.worstIndex);
  const around = neighbourhood(o.expected.shape, cmp.worstOffset);
  const pick = (data: ArrayLike<number>) => around.map((i) => data[i]);
  const window = o.expected.data.length > 1 ? ` Around it, expected ${formatList(pick(o.expected.data))}, got ${formatList(pick(o.got!.data))}.` : "";
  return {
    message:
      `On the case ${caseName(ctx, k)} the worst entry is${at ? ` ${at}` : ""}: expected ${formatNumber(cmp.expectedAt)}, got ${formatNumber(cmp.gotAt)} ` +
      `(max absolute error ${formatNumber(cmp.maxAbsError, 2)}, max relative error ${formatNumber(cmp.maxRelError, 2)}).${window}`,
    details: {
      maxAbsError: cmp.maxAbsError,
      maxRelError: cmp.maxRelError,
      worstIndex: cmp.worstIndex,
      expected: pick(o.expected.data),
      got: pick(o.got!.data),
      shape: [...o.expected.shape],
    },
  };
}

/** The case to show for a failing output: a missing or misshapen one first, else the most wrong. */
function worstCase(ctx: CheckContext, name: string, failing: number[]): number {
  const rank = (k: number) => {
    const o = ctx.comparisons.outputs[k][name];
    return o.status === "missing" ? Infinity : o.status === "shape" ? Number.MAX_VALUE : (o.cmp?.excess ?? 0);
  };
  return failing.reduce((best, k) => (rank(k) > rank(best) ? k : best), failing[0]);
}

function checkOutputs(check: Extract<CheckSpec, { type: "shapes" | "compare-reference" }>, ctx: CheckContext): CheckResult {
  const names = check.outputs ?? Object.keys(ctx.model.outputs);
  const n = ctx.plan.cases.length;
  const ok = (o: OutputComparison) => (check.type === "shapes" ? o.status === "right" || o.status === "wrong" : o.status === "right");
  const passing = ctx.plan.cases.map((_, k) => names.every((name) => ok(ctx.comparisons.outputs[k][name])));
  const passed = passing.filter(Boolean).length;
  if (passed === n) {
    if (check.type === "shapes") return result(check, ctx.model, n, n, `${labels(ctx.model, names)}: the right shape on all ${n} cases.`);
    const worst = Math.max(0, ...ctx.comparisons.outputs.flatMap((row) => names.map((name) => row[name].cmp?.maxRelError ?? 0)));
    const kink = ctx.comparisons.outputs.some((row) => names.some((name) => row[name].convention))
      ? " At the kink you took the derivative (or the step) as 0, PyTorch's choice; the lecture takes 1. Both are right."
      : "";
    return result(
      check,
      ctx.model,
      n,
      n,
      `${labels(ctx.model, names)} match${names.length === 1 ? "es" : ""} the reference on all ${n} cases (max relative error ${formatNumber(worst, 2)}).${kink}`,
      { maxRelError: worst },
    );
  }
  // The first output that fails, on its worst case; which cases pass tells the student where to look.
  const name = names.find((nm) => ctx.plan.cases.some((_, k) => !ok(ctx.comparisons.outputs[k][nm])))!;
  const failingCases = ctx.plan.cases.map((_, k) => k).filter((k) => !ok(ctx.comparisons.outputs[k][name]));
  const rightCases = ctx.plan.cases.map((_, k) => k).filter((k) => ok(ctx.comparisons.outputs[k][name]));
  const k = worstCase(ctx, name, failingCases);
  const f = failure(ctx, name, k);
  const missing = failingCases.filter((c) => ctx.comparisons.outputs[c][name].status === "missing").length;
  const where =
    check.type === "shapes" || missing === failingCases.length
      ? ""
      : `${label(ctx.model, name)} is wrong on ${failingCases.length} of ${n} cases${rightCases.length ? ` (right on ${caseNames(ctx, rightCases)})` : ""}. `;
  return result(check, ctx.model, passed, n, `${where}${f.message}`, f.details);
}

function gradcheckMessage(ctx: CheckContext, g: GradcheckResult): string {
  const grad = label(ctx.model, g.probe.gradient);
  const input = `$${ctx.model.program.symbols[g.probe.input]?.label ?? g.probe.input}$`;
  const d = Math.max(0, g.analytic.findIndex((a, i) => !agrees(a, g.numeric[i], GRADCHECK_ATOL, GRADCHECK_RTOL)));
  const pair = (i: number) => `your backward gives ${formatNumber(g.analytic[i])}, the slope of your forward is ${formatNumber(g.numeric[i])}`;
  switch (g.status) {
    case "fail":
      return g.forwardRight
        ? `Your forward is right here, so its slopes are the lecture's — and your ${grad} does not match them: along a random direction ${pair(d)}. Your backward is wrong.`
        : `Your ${grad} does not match the slope of your own forward along a random direction: ${pair(d)}. Your forward is not right here either, so look at both.`;
    case "inconsistent":
      return `Your forward gives the right value at this point, but not the right slopes around it: along a random direction its slope is ${formatNumber(g.numeric[0])}, the lecture's is ${formatNumber(g.reference[0])}. A forward must compute the same function every time it is called.`;
    case "flat":
      return `Your forward does not change when ${input} changes (every slope is 0, the lecture's are not), so your ${grad} has nothing to agree with.`;
    default:
      return `Could not check your ${grad}: ${(g.why ?? "no value").replace(/\.$/, "")}.`;
  }
}

function checkGradients(check: Extract<CheckSpec, { type: "gradcheck" }>, ctx: CheckContext): CheckResult {
  const grads = check.outputs ?? ctx.model.gradcheck.flatMap((g) => Object.values(g.inputs));
  const units = ctx.comparisons.gradcheck.filter((g) => grads.includes(g.probe.gradient));
  const passed = units.filter((g) => g.status === "pass").length;
  const bad = units.find((g) => g.status !== "pass");
  if (!bad) {
    const points = new Set(units.map((g) => g.probe.k)).size;
    return result(check, ctx.model, passed, units.length, `Your backward agrees with central differences of your own forward for ${labels(ctx.model, grads)} (on ${points} point${points === 1 ? "" : "s"}, along random directions).`);
  }
  return result(check, ctx.model, passed, units.length, `On the case ${caseName(ctx, bad.probe.k)}: ${gradcheckMessage(ctx, bad)}`);
}

export function evaluateCheck(check: CheckSpec, ctx: CheckContext): CheckResult {
  return check.type === "gradcheck" ? checkGradients(check, ctx) : checkOutputs(check, ctx);
}

// Each check type of grading.yaml turned into a CheckResult with plain-words, KaTeX-ready feedback.

import type { TensorData } from "@/lib/sandbox";
import { compare, GRADCHECK_ATOL, GRADCHECK_RTOL, REFERENCE_RTOL, sameShape, type Comparison } from "./compare";
import { formatIndex, formatList, formatNumber, formatShape, preview } from "./format";
import type { ExerciseModel } from "./models/model";
import type { Prepared } from "./prepare";
import { whyMissing, type StudentRun } from "./run";
import type { CheckSpec } from "./spec";
import type { CheckResult } from "./types";

export type GradingContext = { model: ExerciseModel; prepared: Prepared; run: StudentRun };

const label = (model: ExerciseModel, name: string) => `$${model.outputs[name]?.label ?? name}$`;
const labels = (model: ExerciseModel, names: readonly string[]) => names.map((n) => label(model, n)).join(", ");

export function defaultTitle(check: CheckSpec, model: ExerciseModel): string {
  switch (check.type) {
    case "shapes":
      return "Output shapes";
    case "compare-reference":
      return `${labels(model, check.outputs)} match${check.outputs.length === 1 ? "es" : ""} the reference`;
    case "gradcheck":
      return "Your backward agrees with numeric differentiation of your forward";
  }
}

function result(check: CheckSpec, model: ExerciseModel, passed: boolean, message: string, details?: CheckResult["details"]): CheckResult {
  return {
    id: check.id,
    title: check.title ?? defaultTitle(check, model),
    passed,
    points: passed ? check.points : 0,
    maxPoints: check.points,
    message,
    ...(details ? { details } : {}),
  };
}

const caseName = (ctx: GradingContext, k: number) => `“${ctx.prepared.cases[k].name}”`;

type Values = { shape: readonly number[]; data: ArrayLike<number> };

function valueDetails(cmp: Comparison, got: Values, expected: Values): CheckResult["details"] {
  return {
    maxAbsError: cmp.maxAbsError,
    maxRelError: cmp.maxRelError,
    worstIndex: cmp.worstIndex,
    expected: preview(expected.data),
    got: preview(got.data),
    shape: [...expected.shape],
  };
}

function shapeMessage(ctx: GradingContext, name: string, k: number, got: readonly number[], want: readonly number[]): string {
  const transposed = got.length === 2 && want.length === 2 && got[0] === want[1] && got[1] === want[0];
  return (
    `${label(ctx.model, name)} has shape ${formatShape(got)} on the case ${caseName(ctx, k)}, expected ${formatShape(want)}` +
    (transposed ? " (yours is transposed)." : ".")
  );
}

function checkShapes(check: Extract<CheckSpec, { type: "shapes" }>, ctx: GradingContext): CheckResult {
  const names = check.outputs ?? Object.keys(ctx.model.outputs);
  for (const [k, ref] of ctx.prepared.references.entries()) {
    for (const name of names) {
      const got = ctx.run.outputs[k][name];
      const want = ref[name].shape;
      if (!got) return result(check, ctx.model, false, `${label(ctx.model, name)} on the case ${caseName(ctx, k)}: ${whyMissing(ctx.run, ctx.model.outputs[name].step, k)}`);
      if (!sameShape(got.shape, want)) return result(check, ctx.model, false, shapeMessage(ctx, name, k, got.shape, want), { shape: [...want] });
    }
  }
  return result(check, ctx.model, true, `${labels(ctx.model, names)}: the right shape on all ${ctx.prepared.cases.length} cases.`);
}

function checkReference(check: Extract<CheckSpec, { type: "compare-reference" }>, ctx: GradingContext): CheckResult {
  const rtol = check.rtol ?? REFERENCE_RTOL;
  let worstRel = 0;
  for (const name of check.outputs) {
    let firstFailure: { k: number; cmp: Comparison; got: TensorData } | undefined;
    let failing = 0;
    for (const [k, ref] of ctx.prepared.references.entries()) {
      const got = ctx.run.outputs[k][name];
      if (!got) return result(check, ctx.model, false, `${label(ctx.model, name)} on the case ${caseName(ctx, k)}: ${whyMissing(ctx.run, ctx.model.outputs[name].step, k)}`);
      if (!sameShape(got.shape, ref[name].shape)) return result(check, ctx.model, false, shapeMessage(ctx, name, k, got.shape, ref[name].shape), { shape: [...ref[name].shape] });
      const cmp = compare(got, ref[name], rtol, check.atol);
      if (!cmp.ok) {
        failing++;
        firstFailure ??= { k, cmp, got };
      } else worstRel = Math.max(worstRel, cmp.maxRelError);
    }
    if (firstFailure) {
      const { k, cmp, got } = firstFailure;
      const at = formatIndex(cmp.worstIndex);
      const n = ctx.prepared.cases.length;
      const message =
        `${label(ctx.model, name)} is wrong${at ? ` at ${at}` : ""} on the case ${caseName(ctx, k)}: expected ${formatNumber(cmp.expectedAt)}, got ${formatNumber(cmp.gotAt)}` +
        ` (max absolute error ${formatNumber(cmp.maxAbsError, 2)}, max relative error ${formatNumber(cmp.maxRelError, 2)}; wrong on ${failing} of ${n} cases).` +
        (got.data.length > 1 ? ` Expected ${formatList(preview(ctx.prepared.references[k][name].data))}${got.data.length > 6 ? " …" : ""}, got ${formatList(preview(got.data))}${got.data.length > 6 ? " …" : ""}.` : "");
      return result(check, ctx.model, false, message, valueDetails(cmp, got, ctx.prepared.references[k][name]));
    }
  }
  return result(
    check,
    ctx.model,
    true,
    `${labels(ctx.model, check.outputs)} match${check.outputs.length === 1 ? "es" : ""} the reference on all ${ctx.prepared.cases.length} cases (max relative error ${formatNumber(worstRel, 2)}).`,
    { maxRelError: worstRel },
  );
}

function checkGradients(check: Extract<CheckSpec, { type: "gradcheck" }>, ctx: GradingContext): CheckResult {
  const grads = check.outputs ?? Object.values(ctx.model.gradcheck);
  const rtol = check.rtol ?? GRADCHECK_RTOL;
  const atol = check.atol ?? GRADCHECK_ATOL;
  let worstRel = 0;
  for (const [k, out] of ctx.run.gradcheck.entries()) {
    for (const grad of grads) {
      const analytic = out[`a_${grad}`];
      const along = out[`v_${grad}`];
      const numeric = out[`n_${grad}`];
      if (analytic && along) {
        // Fast mode agreed inside the sandbox; re-judge the pair with this check's tolerances.
        const [dot, slope] = along.data;
        const cmp = compare({ shape: [], data: Float64Array.of(dot) }, { shape: [], data: Float64Array.of(slope) }, rtol, atol);
        if (!cmp.ok)
          return result(
            check,
            ctx.model,
            false,
            `Your ${label(ctx.model, grad)} does not match the slope of your own forward along a random direction: your backward gives ${formatNumber(dot)}, ` +
              `a central difference of your forward gives ${formatNumber(slope)}. Your forward and backward disagree, so at least one of them is wrong.`,
            { maxAbsError: cmp.maxAbsError, maxRelError: cmp.maxRelError },
          );
        worstRel = Math.max(worstRel, cmp.maxRelError);
        continue;
      }
      if (!analytic || !numeric) return result(check, ctx.model, false, whyMissing(ctx.run, "gradcheck", k));
      if (!sameShape(analytic.shape, numeric.shape))
        return result(
          check,
          ctx.model,
          false,
          `Your backward's ${label(ctx.model, grad)} has shape ${formatShape(analytic.shape)}, but the parameter it belongs to has shape ${formatShape(numeric.shape)}.`,
          { shape: [...numeric.shape] },
        );
      const cmp = compare(analytic, numeric, rtol, atol);
      if (!cmp.ok) {
        const at = formatIndex(cmp.worstIndex);
        return result(
          check,
          ctx.model,
          false,
          `Your ${label(ctx.model, grad)} does not match the slope of your own forward${at ? ` at ${at}` : ""}: your backward gives ${formatNumber(cmp.gotAt)}, ` +
            `a central difference of your forward gives ${formatNumber(cmp.expectedAt)} (relative error ${formatNumber(cmp.maxRelError, 2)}). ` +
            `Your forward and backward disagree, so at least one of them is wrong.`,
          valueDetails(cmp, analytic, numeric),
        );
      }
      worstRel = Math.max(worstRel, cmp.maxRelError);
    }
  }
  return result(
    check,
    ctx.model,
    true,
    `Your backward agrees with central differences of your own forward for ${labels(ctx.model, grads)} (max relative error ${formatNumber(worstRel, 2)}).`,
    { maxRelError: worstRel },
  );
}

export function evaluateCheck(check: CheckSpec, ctx: GradingContext): CheckResult {
  switch (check.type) {
    case "shapes":
      return checkShapes(check, ctx);
    case "compare-reference":
      return checkReference(check, ctx);
    case "gradcheck":
      return checkGradients(check, ctx);
  }
}

// The gradient check, judged on the host from raw values only: the student's forward outputs at the
// probe points (base ± h·u, run in the sandbox) give J through the model's objective, computed here;
// the slope along u and uᵀ·(the student's gradient) are computed here too, with lib/nn's pieces
// (centralSlope, agrees). Nothing the isolate says about the check is trusted, because it says nothing.
//
// A forward that behaves differently under the check gains nothing:
// - its probes run interleaved with the graded calls, from the same call site, in a shuffled order;
// - where its graded output at the base point is (essentially) the reference's, its slopes must be the
//   reference's too: a forward right at the point but flat or bent around it is caught;
// - slopes that are all zero where the reference's are not never pass: a constant forward with a zero
//   backward is not "consistent", it is missing.

import { agrees, centralSlope } from "@/lib/nn";
import { compare, GRADCHECK_ATOL, GRADCHECK_RTOL } from "./compare";
import type { ExerciseModel } from "./model";
import type { Observations } from "./observe";
import type { Plan, Probe } from "./plan";

/** How close the forward must be to the reference at the base point to count as right there. */
const FORWARD_RIGHT_RTOL = 1e-3;

export type GradcheckStatus =
  | "pass"
  /** backward and forward disagree */
  | "fail"
  /** the forward is right at the point, so the slopes must be the reference's, and they are not */
  | "inconsistent"
  /** every slope is 0 where the reference's is not */
  | "flat"
  | "missing"
  | "shape"
  | "non-finite";

export type GradcheckResult = {
  probe: Probe;
  status: GradcheckStatus;
  /** Per direction: uᵀ·(the student's gradient), the slope of the student's forward, uᵀ·(the reference gradient). */
  analytic: number[];
  numeric: number[];
  reference: number[];
  /** The student's forward output at the base point is (essentially) the reference's. */
  forwardRight: boolean;
  /** Why it could not be checked, in words (missing / shape / non-finite). */
  why?: string;
};

const dotWith = (u: Float64Array, t: { data: ArrayLike<number> }) => {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * t.data[i];
  return s;
};

export function judgeGradients(model: ExerciseModel, plan: Plan, obs: Observations, tol: { rtol: number; atol: number } = { rtol: GRADCHECK_RTOL, atol: GRADCHECK_ATOL }): GradcheckResult[] {
  return plan.probes.map((probe) => {
    const c = plan.cases[probe.k];
    const spec = model.gradcheck[probe.check];
    const ref = plan.references[probe.k];
    const reference = probe.u.map((u) => dotWith(u, ref[probe.gradient]));
    const fnOutputs = Object.entries(model.outputs).filter(([, o]) => o.step === "forward" && o.fn === probe.fn).map(([n]) => n);
    const base = obs.outputs[probe.k];
    const forwardRight = fnOutputs.every((n) => base[n] && compare(base[n], ref[n], FORWARD_RIGHT_RTOL, GRADCHECK_ATOL).ok);
    const result = (status: GradcheckStatus, extra: Partial<GradcheckResult> = {}): GradcheckResult => ({
      probe,
      status,
      analytic: [],
      numeric: [],
      reference,
      forwardRight,
      ...extra,
    });

    const gradient = model.backwardTakesForward ? obs.own[probe.k]?.[probe.gradient] : base[probe.gradient];
    if (!gradient) return result("missing", { why: obs.missing[probe.k][probe.gradient] ?? "Your backward did not return it on this case." });
    const input = c.inputs[probe.input];
    if (gradient.data.length !== input.size)
      return result("shape", { why: `it has ${gradient.data.length} entries, but the input it belongs to has ${input.size}` });

    const J = (call: number) => {
      const out = obs.forwardCalls[call]?.outputs;
      return out && fnOutputs.every((n) => out[n]) ? spec.objective(c, out) : undefined;
    };
    const numeric: number[] = [];
    for (let d = 0; d < probe.u.length; d++) {
      const plus = J(probe.plus[d]);
      const minus = J(probe.minus[d]);
      if (plus === undefined || minus === undefined) {
        const threw = obs.forwardCalls[probe.plus[d]]?.threw || obs.forwardCalls[probe.minus[d]]?.threw;
        return result(threw ? "missing" : "shape", { why: threw ? "your forward threw an error near this point" : "your forward's output has the wrong shape here" });
      }
      if (!Number.isFinite(plus) || !Number.isFinite(minus)) return result("non-finite", { why: "your forward gives NaN or ∞ near this point" });
      numeric.push(centralSlope(plus, minus, probe.h));
    }
    const analytic = probe.u.map((u) => dotWith(u, gradient));
    const extra = { analytic, numeric };
    if (!analytic.every((a, d) => agrees(a, numeric[d], tol.atol, tol.rtol))) return result("fail", extra);
    if (forwardRight && !numeric.every((n, d) => agrees(n, reference[d], tol.atol, tol.rtol))) return result("inconsistent", extra);
    if (numeric.every((n) => Math.abs(n) <= tol.atol) && reference.some((r) => Math.abs(r) > 10 * tol.atol)) return result("flat", extra);
    return result("pass", extra);
  });
}

// Every graded tensor compared once with the reference: per case, per output, and every gradient check
// judged (gradcheck.ts). Checks (points) and the diagnosis (names) both read these and nothing else of
// the run's numbers, so they can never disagree about what was right.

import { sameShape, type Tensor } from "@/lib/nn";
import type { TensorData } from "@/lib/sandbox";
import { compare, REFERENCE_RTOL, type Comparison } from "./compare";
import { judgeGradients, type GradcheckResult } from "./gradcheck";
import type { ExerciseModel } from "./model";
import type { Observations } from "./observe";
import type { Plan } from "./plan";

export type OutputComparison = {
  status: "right" | "wrong" | "shape" | "missing";
  /** Right only with PyTorch's 0 at a kink (the lecture takes 1): both are right answers. */
  convention?: "zero-at-kink";
  /** Against the reference (the lecture's convention), when there is a value of the right shape. */
  cmp?: Comparison;
  got?: TensorData;
  expected: Tensor;
  /** Why it is missing, in words. */
  why?: string;
};

export type Comparisons = {
  /** Per case: output name → its comparison. */
  outputs: Record<string, OutputComparison>[];
  gradcheck: GradcheckResult[];
};

export function compareAll(model: ExerciseModel, plan: Plan, obs: Observations, rtol = REFERENCE_RTOL): Comparisons {
  const outputs = plan.cases.map((_, k) => {
    const row: Record<string, OutputComparison> = {};
    for (const name of Object.keys(model.outputs)) {
      const expected = plan.references[k][name];
      const got = obs.outputs[k][name];
      if (!got) {
        row[name] = { status: "missing", expected, why: obs.missing[k][name] };
        continue;
      }
      if (!sameShape(got.shape, expected.shape)) {
        row[name] = { status: "shape", expected, got };
        continue;
      }
      const cmp = compare(got, expected, rtol);
      const alt = plan.kinkReferences[k][name];
      if (!cmp.ok && alt && compare(got, alt, rtol).ok) row[name] = { status: "right", convention: "zero-at-kink", cmp, got, expected };
      else row[name] = { status: cmp.ok ? "right" : "wrong", cmp, got, expected };
    }
    return row;
  });
  return { outputs, gradcheck: judgeGradients(model, plan, obs) };
}

/** Output names that came back wrong (value or shape) on some case. */
export function wrongOutputs(c: Comparisons): Set<string> {
  const wrong = new Set<string>();
  for (const row of c.outputs) for (const [name, o] of Object.entries(row)) if (o.status === "wrong" || o.status === "shape") wrong.add(name);
  return wrong;
}

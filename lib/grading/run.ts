// What the student's run produced, case by case, and — for anything missing — why, in words.

import type { SandboxResult, TensorData } from "@/lib/sandbox";
import { HARNESS_STEPS, type HarnessStep } from "./harness";
import type { Prepared } from "./prepare";

export type Problem = {
  status: "compile_error" | "runtime_error" | "timeout" | "memory" | "bad_output";
  /** The step the problem stopped (or, for a student exception, the step and case that threw first). */
  step?: string;
  caseIndex?: number;
  message: string;
};

export type StudentRun = {
  /** Per case: output name → tensor. */
  outputs: Record<string, TensorData>[];
  /** Per gradient-check case: a_<grad> (the student's backward) and n_<grad> (numeric slope). */
  gradcheck: Record<string, TensorData>[];
  /** Case indices where a student call threw, per step. */
  threw: Partial<Record<HarnessStep, number[]>>;
  /** The step that stopped the run (timeout, memory, bad output, load, compile); later steps did not run. */
  stoppedAt?: string;
  problem?: Problem;
};


/** "your backward", "your forward", … as the student wrote them. */
export function describeStep(step: string | undefined): string {
  switch (step) {
    case "forward":
      return "your forward";
    case "backward":
      return "your backward";
    case "gradcheck":
      return "the gradient check (your forward and backward on a small case)";
    case "load":
      return "your module's top-level code";
    default:
      return "your code";
  }
}

export function interpretRun(result: SandboxResult, prepared: Prepared, timeMs: number): StudentRun {
  const outputs = prepared.cases.map(() => ({}) as Record<string, TensorData>);
  const gradcheck = prepared.gradcheckCases.map(() => ({}) as Record<string, TensorData>);
  const threw: StudentRun["threw"] = {};
  for (const [name, t] of Object.entries(result.outputs)) {
    const m = /^(c|g)(\d+)_(.+)$/.exec(name);
    if (m) {
      const into = m[1] === "c" ? outputs : gradcheck;
      const k = Number(m[2]);
      if (k < into.length) into[k][m[3]] = t;
      continue;
    }
    const f = /^failed_(forward|backward|gradcheck)$/.exec(name);
    if (f) threw[f[1] as HarnessStep] = Array.from(t.data);
  }
  const run: StudentRun = { outputs, gradcheck, threw };
  const status = result.status;
  if (status === "ok" || status === "crash") return run;

  const firstThrew = HARNESS_STEPS.find((step) => threw[step]?.length);
  if (status === "compile_error") {
    run.stoppedAt = "compile";
    run.problem = { status, message: `Your code does not compile: ${result.message ?? "unknown error"}` };
  } else if (result.failedStep === "gradcheck" && status === "runtime_error" && firstThrew) {
    // A student call threw and the harness carried on; this is the first such error.
    const k = threw[firstThrew]![0];
    const where = `in ${describeStep(firstThrew)}${firstThrew !== "gradcheck" ? ` on the case “${prepared.cases[k]?.name}”` : ""}`;
    run.problem = { status, step: firstThrew, caseIndex: k, message: (result.message ?? "").replace(/ in step "gradcheck"/, ` ${where}`) };
  } else {
    run.stoppedAt = result.failedStep;
    const what = describeStep(result.failedStep);
    const message =
      status === "timeout"
        ? `${capitalize(what)} ran longer than ${timeMs} ms and was stopped. Look for an infinite loop, or far too much work.`
        : (result.message ?? status).replace(/ in step "(\w+)"/, ` in ${what}`);
    run.problem = { status, step: result.failedStep, message };
  }
  return run;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Why output `name` of case k is missing, in plain words (undefined if it is there). */
export function whyMissing(run: StudentRun, step: "forward" | "backward" | "gradcheck", k: number): string {
  if (run.threw[step]?.includes(k)) return `${capitalize(describeStep(step))} threw an error on this case (see the first check).`;
  if (run.stoppedAt === "compile") return "Not checked: your code does not compile.";
  if (run.stoppedAt === "load") return "Not checked: your module failed while loading.";
  if (run.stoppedAt) {
    const order: readonly string[] = HARNESS_STEPS;
    const stopped = order.indexOf(run.stoppedAt);
    if (stopped === order.indexOf(step)) return `${capitalize(describeStep(step))} was stopped: ${run.problem?.message ?? run.stoppedAt}`;
    if (stopped >= 0 && stopped < order.indexOf(step)) return `Not checked: ${describeStep(run.stoppedAt)} was stopped before this ran.`;
  }
  return `${capitalize(describeStep(step))} did not return this output.`;
}


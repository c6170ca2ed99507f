// What the student's run produced, sorted by case: the graded outputs, the gradient check's probe values,
// and — for anything missing — why, in words. Messages are authored (KaTeX allowed); whatever text came
// from the student's code (an exception, a compiler error quoting their code) travels in `quote`.

import type { SandboxResult, TensorData } from "@/lib/sandbox";
import type { ExerciseModel } from "./model";
import type { Plan } from "./plan";
import { decodeCalls, type CallResult } from "./wire";

export type Step = "forward" | "backward";

export type Problem = {
  status: "compile_error" | "runtime_error" | "timeout" | "memory" | "bad_output";
  /** The step the problem stopped, or the step of the call whose error is reported. */
  step?: Step | "load";
  caseIndex?: number;
  /** Authored words, e.g. "Your backward threw an error on the case “a batch of 1”." */
  message: string;
  /** The student's own text: the exception with their line numbers, or the compiler's error. */
  quote?: string;
};

export type Observations = {
  /** Per case: every graded output (forward outputs from the graded forward calls, the backward's from its graded call). */
  outputs: Record<string, TensorData>[];
  /** Per case: output → entries the student never assigned. */
  unassigned: Record<string, number[]>[];
  /** Per case: the backward fed the student's own forward (the gradient check, where the backward takes forward values). */
  own: (Record<string, TensorData> | undefined)[];
  /** Every forward call, in plan order (the probes' values live here). */
  forwardCalls: CallResult[];
  /** Per case: output → why it is missing, in words. */
  missing: Record<string, string>[];
  /** Per case: outputs the call ran and returned without (a key never set, an undefined result). */
  absent: Set<string>[];
  /** The step that stopped the run (compile, load, a timeout …); later steps did not run. */
  stoppedAt?: Step | "load" | "compile";
  problem?: Problem;
};

const QUOTE_MAX = 2000;
const bound = (s: string) => (s.length > QUOTE_MAX ? `${s.slice(0, QUOTE_MAX)}…` : s);
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function describeStep(step: string | undefined): string {
  switch (step) {
    case "forward":
      return "your forward";
    case "backward":
      return "your backward";
    case "load":
      return "your module's top-level code";
    default:
      return "your code";
  }
}

/** The sandbox's own words minus its `in step "…"` (the message says where, in the lecture's terms). */
const studentText = (message: string | undefined) => bound((message ?? "").replace(/ in step "\w+"/, "").replace(/ while loading your code/, ""));

function problemOf(result: SandboxResult, plan: Plan, timeMs: number, firstError: ReturnType<typeof decodeCalls>["firstError"]): Problem | undefined {
  const step = result.failedStep as Step | "load" | undefined;
  const what = describeStep(step);
  switch (result.status) {
    case "ok":
    case "crash":
      return undefined;
    case "compile_error":
      return { status: "compile_error", message: "Your code does not compile.", quote: bound(result.message ?? "") };
    case "timeout":
      // The sandbox's limits are CPU time, so a busy machine never makes code time out (that is a `crash`).
      return { status: "timeout", step, message: `${capitalize(what)} used more than ${timeMs} ms of CPU time and was stopped. Look for an infinite loop, or far too much work.` };
    case "memory":
      return { status: "memory", step, message: `${capitalize(what)} ran out of memory and was stopped.`, quote: studentText(result.message) };
    case "bad_output":
      return { status: "bad_output", step, message: `${capitalize(what)} returned something the grader cannot read.`, quote: studentText(result.message) };
    case "runtime_error": {
      if (step === "load") return { status: "runtime_error", step, message: "Your module's top-level code threw an error.", quote: studentText(result.message) };
      if (!firstError) return { status: "runtime_error", step, message: `${capitalize(what)} threw an error.`, quote: studentText(result.message) };
      // A student call threw (or returned an unreadable value) and the harness carried on: the first one is reported.
      const call = firstError.step === "forward" ? plan.forwardCalls[firstError.call] : plan.backwardCalls[firstError.call];
      const k = call?.k ?? 0;
      const probing = firstError.step === "forward" ? Boolean(plan.forwardCalls[firstError.call]?.probe) : Boolean(plan.backwardCalls[firstError.call]?.own);
      const where = probing ? `during the gradient check, near the case “${plan.cases[k].name}”` : `on the case “${plan.cases[k].name}”`;
      return { status: "runtime_error", step: firstError.step, caseIndex: k, message: `${capitalize(describeStep(firstError.step))} failed ${where}.`, quote: studentText(result.message) };
    }
  }
}

export function observe(result: SandboxResult, plan: Plan, model: ExerciseModel, timeMs: number): Observations {
  const names = Object.entries(model.outputs);
  const decoded = decodeCalls(
    result.outputs,
    { forward: plan.forwardCalls.length, backward: plan.backwardCalls.length },
    { forward: names.filter(([, o]) => o.step === "forward").map(([n]) => n), backward: names.filter(([, o]) => o.step === "backward").map(([n]) => n) },
  );
  const stoppedAt: Observations["stoppedAt"] =
    result.status === "compile_error" ? "compile" : result.status === "timeout" || result.status === "memory" || result.status === "bad_output" || (result.status === "runtime_error" && !decoded.firstError) ? (result.failedStep as Step | "load") : undefined;

  const obs: Observations = {
    outputs: plan.cases.map(() => ({})),
    unassigned: plan.cases.map(() => ({})),
    own: plan.cases.map(() => undefined),
    forwardCalls: decoded.forward,
    missing: plan.cases.map(() => ({})),
    absent: plan.cases.map(() => new Set<string>()),
    stoppedAt,
    problem: problemOf(result, plan, timeMs, decoded.firstError),
  };

  const notRun = (step: Step): string | undefined => {
    if (stoppedAt === "compile") return "Not checked: your code does not compile.";
    if (stoppedAt === "load") return "Not checked: your module failed while loading.";
    if (stoppedAt === step) return `${capitalize(describeStep(step))} was stopped: ${obs.problem?.message ?? ""}`.trim();
    if (stoppedAt === "forward" && step === "backward") return "Not checked: your forward was stopped before this ran.";
    return undefined;
  };
  const take = (call: CallResult | undefined, step: Step, k: number, fnOutputs: string[]) => {
    for (const out of fnOutputs) {
      const t = call?.outputs[out];
      if (t) {
        obs.outputs[k][out] = t;
        if (call.unassigned[out]) obs.unassigned[k][out] = call.unassigned[out];
        continue;
      }
      if (call && !call.threw && !call.unreadable.includes(out) && !notRun(step)) obs.absent[k].add(out);
      obs.missing[k][out] =
        notRun(step) ??
        (call?.threw
          ? `${capitalize(describeStep(step))} threw an error on this case (see the first check).`
          : call?.unreadable.includes(out)
            ? `${capitalize(describeStep(step))} returned it in a form the grader cannot read (see the first check).`
            : `${capitalize(describeStep(step))} did not return it.`);
    }
  };
  plan.cases.forEach((_, k) => {
    const g = plan.graded[k];
    for (const fn of model.functions) {
      const outs = names.filter(([, o]) => o.step === "forward" && o.fn === fn).map(([n]) => n);
      take(decoded.forward[g.forward[fn]], "forward", k, outs);
    }
    take(decoded.backward[g.backward], "backward", k, names.filter(([, o]) => o.step === "backward").map(([n]) => n));
    if (g.own !== undefined) obs.own[k] = decoded.backward[g.own]?.outputs;
  });
  return obs;
}

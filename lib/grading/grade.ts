// gradeCode: one submission through the pipeline, data flowing one way —
//   model (the exercise folder) → plan (cases, reference, shuffled calls) → one sandbox job →
//   observations (wire.ts, observe.ts) → comparisons (once per tensor, and the gradient check) →
//   checks (points) and diagnosis (names), which both read the comparisons and never each other → report.

import type { CodeExerciseFiles, ItemOf } from "@/lib/content";
import { models } from "@/exercises/models";
import { runInSandbox, type SandboxResult } from "@/lib/sandbox";
import { harnessFor } from "./bundle";
import { evaluateCheck } from "./checks";
import { compareAll } from "./comparisons";
import { diagnose } from "./diagnose";
import type { ExerciseModel } from "./model";
import { observe } from "./observe";
import { planFor } from "./plan";
import { parseExerciseSpec, RUNS_CHECK_ID } from "./spec";
import type { CheckResult, GradeReport } from "./types";

/** Bump when grading rules change in a way that can change a score (stored with each result, for regrades). */
export const GRADER_VERSION = "lectern-grading/2.0.0";

/** The harness steps, in order: every forward call (graded and probes, shuffled), then every backward call. */
const STEPS = ["forward", "backward"];

export type GradeCodeArgs = {
  item: ItemOf<"code">;
  files: CodeExerciseFiles;
  source: string;
  seed: string;
  /** Called as each check finishes, in order, so a page can stream them. */
  onCheck?: (check: CheckResult) => void;
  /** Runs the sandbox job; defaults to the shared pool (tests and benchmarks may pass their own). */
  runJob?: (job: Parameters<typeof runInSandbox>[0]) => Promise<SandboxResult>;
  /** The exercise's model when it is not registered in exercises/models.ts (the template, tests). */
  model?: ExerciseModel;
};

/** The model of a code exercise: its folder's model.ts, registered by slug. */
export const modelFor = (slug: string): ExerciseModel | undefined => models[slug];

export async function gradeCode(args: GradeCodeArgs): Promise<GradeReport> {
  const t0 = performance.now();
  const timings = { compileMs: 0, isolateMs: 0, runMs: 0, referenceMs: 0, checksMs: 0, totalMs: 0 };
  const failed = (reason: string, maxScore = 0): GradeReport => ({
    score: 0,
    maxScore,
    status: "failed",
    failureReason: reason,
    checks: [],
    diagnosis: [],
    logs: [],
    logsTruncated: false,
    timings: { ...timings, totalMs: performance.now() - t0 },
  });

  const model = args.model ?? modelFor(args.item.slug);
  if (!model) return failed(`${args.item.slug}: no model.ts is registered for it in exercises/models.ts`);
  let spec;
  try {
    spec = parseExerciseSpec(args.files.grading, model, args.item.points);
  } catch (e) {
    return failed(`${args.item.slug}: ${(e as Error).message}`);
  }
  const maxScore = spec.checks.reduce((s, c) => s + c.points, 0);

  let t = performance.now();
  const plan = planFor(model, spec.seed, args.seed);
  timings.referenceMs = performance.now() - t;

  let result: SandboxResult;
  try {
    result = await (args.runJob ?? runInSandbox)({
      source: args.source,
      harness: await harnessFor(args.item.dir),
      steps: STEPS,
      inputs: plan.inputs,
      params: plan.params,
      ...(spec.allow ? { allow: spec.allow } : {}),
      timeoutMs: spec.limits.timeMs,
      memoryMb: spec.limits.memoryMb,
    });
  } catch (e) {
    return failed(`the sandbox could not run the job: ${(e as Error).message}`, maxScore);
  }
  timings.compileMs = result.timings.compileMs;
  timings.isolateMs = result.timings.isolateMs;
  timings.runMs = result.timings.runMs;
  if (result.status === "crash") {
    // A crash is the machine's doing, and the sandbox's message says which (the machine too busy, a child
    // killed from outside, an internal error): passed on as it is, not all called a crash.
    const r = failed(result.message ?? "The sandbox stopped without saying why.", maxScore);
    return { ...r, logs: result.logs, logsTruncated: result.logsTruncated };
  }

  t = performance.now();
  const observations = observe(result, plan, model, spec.limits.timeMs);
  const comparisons = compareAll(model, plan, observations);
  const checks: CheckResult[] = [];
  const report = (c: CheckResult) => {
    checks.push(c);
    try {
      args.onCheck?.(c);
    } catch {
      // A listener's failure (e.g. a closed stream) must not lose the grade.
    }
  };
  const problem = observations.problem;
  if (problem)
    report({
      id: RUNS_CHECK_ID,
      title: "Your code runs without errors",
      passed: false,
      points: 0,
      maxPoints: 0,
      message: problem.message,
      ...(problem.quote ? { quote: problem.quote } : {}),
    });
  for (const check of spec.checks) report(evaluateCheck(check, { model, plan, comparisons }));
  const diagnosis = diagnose({ model, plan, observations, comparisons });
  timings.checksMs = performance.now() - t;

  return {
    score: Math.round(100 * checks.reduce((s, c) => s + c.points, 0)) / 100,
    maxScore,
    status: "graded",
    checks,
    diagnosis,
    logs: result.logs,
    logsTruncated: result.logsTruncated,
    timings: { ...timings, totalMs: performance.now() - t0 },
  };
}

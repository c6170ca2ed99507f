// gradeCode: one submission → one sandbox job (every case, every step) → checks on the host
// against the cached lib/nn reference → named diagnosis of what is wrong.

import type { CodeExerciseFiles, ItemOf } from "@/lib/content";
import { runInSandbox, type SandboxResult } from "@/lib/sandbox";
import { evaluateCheck, type GradingContext } from "./checks";
import { GRADCHECK_ATOL, GRADCHECK_RTOL } from "./compare";
import { diagnose } from "./diagnose";
import { buildHarness, GRADCHECK_EPS, HARNESS_STEPS } from "./harness";
import type { ExerciseModel } from "./models/model";
import { prepare } from "./prepare";
import { interpretRun } from "./run";
import { parseExerciseSpec, RUNS_CHECK_ID } from "./spec";
import type { CheckResult, GradeReport } from "./types";

/** Bump when grading rules change in a way that can change a score (stored with each result, for regrades). */
export const GRADER_VERSION = "lectern-grading/1.0.0";

export type GradeCodeArgs = {
  item: ItemOf<"code">;
  files: CodeExerciseFiles;
  source: string;
  seed: string;
  /** Called as each check finishes, in order, so a page can stream them. */
  onCheck?: (check: CheckResult) => void;
  /** Runs the sandbox job; defaults to the shared pool (tests and benchmarks may pass their own). */
  runJob?: (job: Parameters<typeof runInSandbox>[0]) => Promise<SandboxResult>;
};

const harnesses = new WeakMap<ExerciseModel, string>();
const harnessFor = (m: ExerciseModel) => {
  let h = harnesses.get(m);
  if (!h) harnesses.set(m, (h = buildHarness(m)));
  return h;
};

/** The fast gradient check's direction, fixed per seed (FNV-1a): reproducible, not guessable in advance. */
function directionSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

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

  let spec;
  try {
    spec = parseExerciseSpec(args.files.grading, args.item.points);
  } catch (e) {
    return failed(`${args.item.slug}: ${(e as Error).message}`);
  }
  const model = spec.modelDef;
  const maxScore = spec.checks.reduce((s, c) => s + c.points, 0);

  let t = performance.now();
  const prepared = prepare(model, spec.seed, args.seed);
  timings.referenceMs = performance.now() - t;

  let result: SandboxResult;
  try {
    result = await (args.runJob ?? runInSandbox)({
      source: args.source,
      harness: harnessFor(model),
      steps: [...HARNESS_STEPS],
      inputs: prepared.inputs,
      params: {
        cases: prepared.cases.length,
        gradcheckCases: prepared.gradcheckCases.length,
        eps: GRADCHECK_EPS,
        rtol: GRADCHECK_RTOL,
        atol: GRADCHECK_ATOL,
        direction: directionSeed(args.seed),
      },
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
    const r = failed(`the sandbox crashed: ${result.message ?? "no details"}`, maxScore);
    return { ...r, logs: result.logs, logsTruncated: result.logsTruncated };
  }

  t = performance.now();
  const run = interpretRun(result, prepared, spec.limits.timeMs);
  const ctx: GradingContext = { model, prepared, run };
  const checks: CheckResult[] = [];
  const report = (c: CheckResult) => {
    checks.push(c);
    try {
      args.onCheck?.(c);
    } catch {
      // A listener's failure (e.g. a closed stream) must not lose the grade.
    }
  };
  if (run.problem)
    report({ id: RUNS_CHECK_ID, title: "Your code runs without errors", passed: false, points: 0, maxPoints: 0, message: run.problem.message });
  for (const check of spec.checks) report(evaluateCheck(check, ctx));
  const diagnosis = diagnose(model, prepared, run);
  timings.checksMs = performance.now() - t;

  return {
    score: checks.reduce((s, c) => s + c.points, 0),
    maxScore,
    status: "graded",
    checks,
    diagnosis,
    logs: result.logs,
    logsTruncated: result.logsTruncated,
    timings: { ...timings, totalMs: performance.now() - t0 },
  };
}

// "Run": the student's code through the grader's own pipeline (lib/grading, the sandbox, this student's cases),
// to see whether it compiles and runs, whether its outputs have the right shapes, and what it prints — without
// being a submission: nothing is stored, no attempt and no rate-limit token is spent, and no score or
// comparison with the reference is shown (that is what a submission is for). Runs are throttled on their own,
// so that a loop of them cannot crowd the graders.
import { z } from "zod";
import { recordAttempt, throttleWait, type Rule } from "@/lib/auth/throttle";
import { loadCodeFiles } from "@/lib/content";
import { parseInput } from "@/lib/errors";
import { gradeCode, modelFor, parseExerciseSpec, RUNS_CHECK_ID } from "@/lib/grading";
import { SubmissionError } from "./errors";
import { gradingSeed } from "./grader";
import { codeSchema, courseExercise } from "./submit";
import { checkView, codeItem, type CheckView } from "./views";

export const runRequestSchema = z.object({ code: codeSchema.refine((s) => s.trim().length > 0, "Your code is empty.") });

// Twenty runs straight away, then one every 3 s on average: plenty for someone trying things, not a flood.
const RUN_RULE: Rule = { free: 20, leakMs: 3_000, baseMs: 2_000, capMs: 60_000 };

export type RunReport = {
  /** "ran": the code ran (its checks say how far); "failed": the sandbox could not run it. */
  status: "ran" | "failed";
  /** Whether the code runs, and the shapes of its outputs: never a comparison with the reference. */
  checks: Pick<CheckView, "id" | "title" | "titleHtml" | "passed" | "messageHtml">[];
  /** What the exercise checks before submitting; false when it has no shape check (then only "runs"). */
  checksShapes: boolean;
  logs: string[];
  logsTruncated: boolean;
  failureReason: string | null;
};

export async function runCode(userId: string, courseId: string, slug: string, body: unknown): Promise<RunReport> {
  const { code } = parseInput(runRequestSchema, body, SubmissionError);
  await courseExercise(courseId, slug);
  const key = `run:${userId}`;
  const wait = await throttleWait([key]);
  if (wait > 0) throw new SubmissionError("rate-limited", `Too many runs in a row. Try again in ${wait} s.`, { retryAfterSeconds: wait });
  await recordAttempt(key, RUN_RULE);

  const item = await codeItem(slug);
  const files = await loadCodeFiles(item);
  const model = modelFor(slug);
  const shapeChecks = new Set(model ? parseExerciseSpec(files.grading, model, item.points).checks.filter((c) => c.type === "shapes").map((c) => c.id) : []);
  const report = await gradeCode({ item, files, source: code, seed: gradingSeed(courseId, userId) });
  const shown = report.checks.filter((c) => c.id === RUNS_CHECK_ID || shapeChecks.has(c.id)).map(checkView);
  return {
    status: report.status === "graded" ? "ran" : "failed",
    // No points: a run is not scored.
    checks: shown.map(({ id, title, titleHtml, passed, messageHtml }) => ({ id, title, titleHtml, passed, messageHtml })),
    checksShapes: shapeChecks.size > 0,
    logs: report.logs,
    logsTruncated: report.logsTruncated,
    failureReason: report.status === "failed" ? (report.failureReason ?? "the code could not be run") : null,
  };
}

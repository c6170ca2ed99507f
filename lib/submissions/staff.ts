// What the course staff do to an exercise: set its policies, and regrade every submission after the grader
// (or the exercise) changed. A regrade re-queues the rows behind fresh student work; each grading adds a
// GradeResult, so the earlier feedback stays in the history.
import { z } from "zod";
import { db } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import { SubmissionError } from "./errors";
import { notifySubmissions, wakeLocalDispatchers } from "./live";
import { courseExercise } from "./submit";
import { policiesOf } from "./views";
import { zip } from "./zip";
import { csvLines } from "@/lib/csv";

const empty = (v: unknown) => v === "" || v === null || v === undefined;
// Ranges are checked before wholeness, so that 1e308 is "at most …" rather than "not a whole number".
const number = (error: string) => z.coerce.number({ error }).refine(Number.isFinite, error);
const optionalNumber = (schema: z.ZodType<number>) => z.preprocess((v) => (empty(v) ? null : v), schema.nullable());

// Deadlines a course can mean; anything else is a typo (or an attack on the date arithmetic).
const FIRST_DUE = Date.UTC(2000, 0, 1);
const LAST_DUE = Date.UTC(2100, 0, 1);

/** A deadline: an instant (Date or ISO date-time with its zone), or "" / null for none. */
export const deadlineSchema = z.preprocess(
  (v) => (empty(v) ? null : v),
  z
    .union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))], { error: "Enter the deadline as a date and time." })
    .refine((d) => d.getTime() >= FIRST_DUE && d.getTime() < LAST_DUE, "The deadline must fall between the years 2000 and 2099.")
    .nullable(),
);

export const policiesRequestSchema = z.object({
  dueAt: deadlineSchema,
  latePolicy: z.enum(["ACCEPT_FLAGGED", "REFUSE"], { error: "Choose whether late submissions are accepted." }),
  maxAttempts: optionalNumber(number("Attempts are a whole number.").pipe(z.number().min(1, "Allow at least 1 attempt.").max(1000, "At most 1,000 attempts.").int("Attempts are a whole number."))),
  rateBurst: number("The burst is a whole number.").pipe(z.number().min(1, "Allow a burst of at least 1.").max(100, "A burst of at most 100.").int("The burst is a whole number.")),
  ratePerMinute: number("The refill is a number of submissions a minute.").pipe(z.number().min(0.1, "Refill at least 0.1 a minute.").max(600, "Refill at most 600 a minute.")),
  scoreRule: z.enum(["BEST", "LATEST"], { error: "Choose which attempt counts." }).default("BEST"),
  latePenaltyPercentPerDay: number("The late penalty is a number.")
    .pipe(z.number().min(0, "The late penalty cannot be negative.").max(100, "A late penalty of at most 100 % a day."))
    .default(0),
});

export async function updateExercisePolicies(courseId: string, slug: string, input: unknown) {
  const policies = parseInput(policiesRequestSchema, input, SubmissionError);
  const exercise = await courseExercise(courseId, slug);
  const updated = await db().courseExercise.update({ where: { id: exercise.id }, data: policies });
  return policiesOf(updated);
}

/** Re-queues every submission of the exercise that is not already waiting. Returns how many. */
export async function regradeAll(courseId: string, slug: string): Promise<number> {
  const exercise = await courseExercise(courseId, slug);
  const n = await db().$transaction(async (tx) => {
    const count = await tx.$executeRaw`
      UPDATE "Submission" SET status = 'QUEUED', priority = 1, "queuedAt" = now(), claims = 0, "claimedBy" = NULL,
        "claimedAt" = NULL, "failureReason" = NULL, progress = NULL, "finishedAt" = NULL
      WHERE "courseExerciseId" = ${exercise.id}::uuid AND status IN ('GRADED', 'FAILED')`;
    await notifySubmissions({ type: "queued" }, tx);
    return count;
  });
  wakeLocalDispatchers();
  return n;
}

export type RegradeProgress = { total: number; waiting: number; running: number; graded: number; failed: number };

export async function regradeProgress(courseId: string, slug: string): Promise<RegradeProgress> {
  const exercise = await courseExercise(courseId, slug);
  const groups = await db().submission.groupBy({ by: ["status"], where: { courseExerciseId: exercise.id }, _count: { _all: true } });
  const count = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return {
    total: groups.reduce((n, g) => n + g._count._all, 0),
    waiting: count("QUEUED"),
    running: count("RUNNING"),
    graded: count("GRADED"),
    failed: count("FAILED"),
  };
}

/**
 * Every submission of the exercise as one ZIP: `<email>/attempt-<n>.ts` with the code as submitted, and an
 * index.csv of student, attempt, time, lateness, status and the latest score.
 */
export async function submissionsArchive(courseId: string, slug: string): Promise<Buffer> {
  const exercise = await courseExercise(courseId, slug);
  const rows = await db().submission.findMany({
    where: { courseExerciseId: exercise.id },
    include: { user: { select: { email: true, name: true } }, results: { orderBy: { createdAt: "desc" }, take: 1, select: { score: true, maxScore: true } } },
    orderBy: [{ userId: "asc" }, { attempt: "asc" }],
  });
  const folder = (email: string | undefined) => (email ?? "unknown").replace(/[^A-Za-z0-9@._+-]/g, "_");
  const index = csvLines([
    ["student", "email", "attempt", "submitted", "late", "status", "score", "maxScore", "file"],
    ...rows.map((r) => [r.user?.name, r.user?.email, r.attempt, r.createdAt.toISOString(), r.late, r.status, r.results[0]?.score ?? "", r.results[0]?.maxScore ?? "", `${folder(r.user?.email)}/attempt-${r.attempt}.ts`]),
  ]);
  return zip([
    { name: "index.csv", text: index, at: new Date() },
    ...rows.map((r) => ({ name: `${folder(r.user?.email)}/attempt-${r.attempt}.ts`, text: r.code, at: r.createdAt })),
  ]);
}

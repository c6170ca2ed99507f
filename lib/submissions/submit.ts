// A student's submission: validated, checked against the exercise's policies, and committed QUEUED before
// any grading starts. One transaction per student and exercise at a time (an advisory lock), so two tabs
// submitting at once cannot both spend the last token or the last attempt.
import { z } from "zod";
import { db } from "@/lib/db";
import { parseInput, TOO_LARGE } from "@/lib/errors";
import { MAX_CODE_BYTES } from "@/lib/limits";
import { clientToken, isId, multilineText, slugSchema } from "@/lib/validation";
import { SubmissionError } from "./errors";
import { notifySubmissions, wakeLocalDispatchers } from "./live";
import { effectiveDueAt, isLate, secondsUntilToken, tokensAt } from "./policy";
import { earlierSubmission, type Replayed } from "./replay";

export const codeSchema = multilineText("your code").refine((s) => Buffer.byteLength(s, "utf8") <= MAX_CODE_BYTES, {
  message: `Your code is over ${MAX_CODE_BYTES / 1024} KB; shorten it.`,
  params: TOO_LARGE,
});

export const submitRequestSchema = z.object({
  code: codeSchema.refine((s) => s.trim().length > 0, "Your code is empty."),
  // Chosen by the editor for each text it submits and resent unchanged on retries (lib/submissions/replay.ts).
  // Optional: a client without one gets a new attempt each time.
  idempotencyKey: clientToken("idempotencyKey", 8, 100).optional(),
});
export const draftRequestSchema = z.object({ code: codeSchema });

/** The course's exercise by slug, or a not-found refusal. */
export async function courseExercise(courseId: string, slug: string) {
  if (!slugSchema.safeParse(slug).success || !isId(courseId)) throw new SubmissionError("not-found", "This exercise does not exist.");
  const exercise = await db().courseExercise.findUnique({ where: { courseId_slug: { courseId, slug } } });
  if (!exercise) throw new SubmissionError("not-found", "This exercise does not exist.");
  return exercise;
}

export type Submitted = { id: string; attempt: number; late: boolean; status: "QUEUED" } | Replayed;

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export async function submitCode(userId: string, courseId: string, slug: string, body: unknown, now = () => new Date()): Promise<Submitted> {
  const { code, idempotencyKey: key } = parseInput(submitRequestSchema, body, SubmissionError);
  const exercise = await courseExercise(courseId, slug);
  const submitted = await db().$transaction(async (tx): Promise<Submitted> => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`submit:${exercise.id}:${userId}`}))`;
    const replay = key && (await earlierSubmission(tx, exercise.id, userId, key, code));
    if (replay) return replay;
    const at = now();
    // A student's extension is their deadline (lib/submissions/policy.ts), for refusing and for flagging.
    const extension = await tx.deadlineExtension.findUnique({ where: { courseExerciseId_userId: { courseExerciseId: exercise.id, userId } }, select: { dueAt: true } });
    const dueAt = effectiveDueAt(exercise.dueAt, extension?.dueAt);
    const late = isLate(dueAt, at);
    if (late && exercise.latePolicy === "REFUSE") {
      throw new SubmissionError("conflict", `The deadline passed on ${when(dueAt!)}; this exercise does not accept late submissions. Your draft is still saved.`);
    }
    const previous = await tx.submission.findMany({
      where: { courseExerciseId: exercise.id, userId },
      select: { createdAt: true },
      orderBy: { createdAt: "asc" },
    });
    if (exercise.maxAttempts !== null && previous.length >= exercise.maxAttempts) {
      throw new SubmissionError("conflict", `You have used all ${exercise.maxAttempts} attempts for this exercise. Your best score counts.`);
    }
    const bucket = { burst: exercise.rateBurst, perMinute: exercise.ratePerMinute };
    const wait = secondsUntilToken(bucket, tokensAt(bucket, previous.map((p) => p.createdAt), at));
    if (wait > 0) {
      const rate = `${exercise.rateBurst} at once, refilling ${exercise.ratePerMinute} a minute`;
      throw new SubmissionError("rate-limited", `Too many submissions (${rate}). Try again in ${Number.isFinite(wait) ? wait : "a while"} s.`, {
        retryAfterSeconds: Number.isFinite(wait) ? wait : 60,
      });
    }
    const row = await tx.submission.create({
      data: { courseId, courseExerciseId: exercise.id, userId, exerciseSlug: slug, code, attempt: previous.length + 1, late, createdAt: at, queuedAt: at, idempotencyKey: key },
      select: { id: true, attempt: true, late: true },
    });
    // The draft follows what was submitted, so reopening the page shows it.
    await tx.draft.upsert({
      where: { userId_courseExerciseId: { userId, courseExerciseId: exercise.id } },
      update: { code },
      create: { userId, courseExerciseId: exercise.id, code },
    });
    await notifySubmissions({ type: "queued" }, tx);
    return { ...row, status: "QUEUED" };
  });
  if (!("replayed" in submitted)) wakeLocalDispatchers();
  return submitted;
}

export async function saveDraft(userId: string, courseId: string, slug: string, body: unknown): Promise<{ savedAt: string }> {
  const { code } = parseInput(draftRequestSchema, body, SubmissionError);
  const exercise = await courseExercise(courseId, slug);
  const draft = await db().draft.upsert({
    where: { userId_courseExerciseId: { userId, courseExerciseId: exercise.id } },
    update: { code },
    create: { userId, courseExerciseId: exercise.id, code },
  });
  return { savedAt: draft.updatedAt.toISOString() };
}

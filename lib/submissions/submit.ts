// A student's submission: validated, checked against the exercise's policies, and committed QUEUED before
// any grading starts. One transaction per student and exercise at a time (an advisory lock), so two tabs
// submitting at once cannot both spend the last token or the last attempt.
import { z } from "zod";
import { db } from "@/lib/db";
import { SubmissionError } from "./errors";
import { notifySubmissions, wakeLocalDispatchers } from "./live";
import { isLate, secondsUntilToken, tokensAt } from "./policy";
import { earlierSubmission, idempotencyKeyOf, type Replayed } from "./replay";

export const MAX_CODE_BYTES = 64 * 1024;

export const codeSchema = z
  .string({ error: "Send your code as text." })
  .refine((s) => Buffer.byteLength(s, "utf8") <= MAX_CODE_BYTES, `Your code is over ${MAX_CODE_BYTES / 1024} KB; shorten it.`);

export const submitRequestSchema = z.object({ code: codeSchema.refine((s) => s.trim().length > 0, "Your code is empty.") });
export const draftRequestSchema = z.object({ code: codeSchema });

const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/);

/** The course's exercise by slug, or a 404 refusal. */
export async function courseExercise(courseId: string, slug: string) {
  if (!slugSchema.safeParse(slug).success || !z.uuid().safeParse(courseId).success) throw new SubmissionError("This exercise does not exist.", 404);
  const exercise = await db().courseExercise.findUnique({ where: { courseId_slug: { courseId, slug } } });
  if (!exercise) throw new SubmissionError("This exercise does not exist.", 404);
  return exercise;
}

export type Submitted = { id: string; attempt: number; late: boolean; status: "QUEUED" } | Replayed;

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";

export async function submitCode(userId: string, courseId: string, slug: string, body: unknown, now = () => new Date()): Promise<Submitted> {
  const request = submitRequestSchema.safeParse(body);
  if (!request.success) {
    const issue = request.error.issues[0];
    throw new SubmissionError(issue.message, issue.message.includes("KB") ? 413 : 400);
  }
  const key = idempotencyKeyOf(body);
  const exercise = await courseExercise(courseId, slug);
  const submitted = await db().$transaction(async (tx): Promise<Submitted> => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`submit:${exercise.id}:${userId}`}))`;
    const replay = key && (await earlierSubmission(tx, exercise.id, userId, key, request.data.code));
    if (replay) return replay;
    const at = now();
    const late = isLate(exercise.dueAt, at);
    if (late && exercise.latePolicy === "REFUSE") {
      throw new SubmissionError(`The deadline passed on ${when(exercise.dueAt!)}; this exercise does not accept late submissions. Your draft is still saved.`, 409);
    }
    const previous = await tx.submission.findMany({
      where: { courseExerciseId: exercise.id, userId },
      select: { createdAt: true },
      orderBy: { createdAt: "asc" },
    });
    if (exercise.maxAttempts !== null && previous.length >= exercise.maxAttempts) {
      throw new SubmissionError(`You have used all ${exercise.maxAttempts} attempts for this exercise. Your best score counts.`, 409);
    }
    const bucket = { burst: exercise.rateBurst, perMinute: exercise.ratePerMinute };
    const wait = secondsUntilToken(bucket, tokensAt(bucket, previous.map((p) => p.createdAt), at));
    if (wait > 0) {
      const rate = `${exercise.rateBurst} at once, refilling ${exercise.ratePerMinute} a minute`;
      throw new SubmissionError(`Too many submissions (${rate}). Try again in ${Number.isFinite(wait) ? wait : "a while"} s.`, 429, Number.isFinite(wait) ? wait : 60);
    }
    const row = await tx.submission.create({
      data: { courseId, courseExerciseId: exercise.id, userId, exerciseSlug: slug, code: request.data.code, attempt: previous.length + 1, late, createdAt: at, queuedAt: at, idempotencyKey: key },
      select: { id: true, attempt: true, late: true },
    });
    // The draft follows what was submitted, so reopening the page shows it.
    await tx.draft.upsert({
      where: { userId_courseExerciseId: { userId, courseExerciseId: exercise.id } },
      update: { code: request.data.code },
      create: { userId, courseExerciseId: exercise.id, code: request.data.code },
    });
    await notifySubmissions({ type: "queued" }, tx);
    return { ...row, status: "QUEUED" };
  });
  if (!("replayed" in submitted)) wakeLocalDispatchers();
  return submitted;
}

export async function saveDraft(userId: string, courseId: string, slug: string, body: unknown): Promise<{ savedAt: string }> {
  const request = draftRequestSchema.safeParse(body);
  if (!request.success) throw new SubmissionError(request.error.issues[0].message, 413);
  const exercise = await courseExercise(courseId, slug);
  const draft = await db().draft.upsert({
    where: { userId_courseExerciseId: { userId, courseExerciseId: exercise.id } },
    update: { code: request.data.code },
    create: { userId, courseExerciseId: exercise.id, code: request.data.code },
  });
  return { savedAt: draft.updatedAt.toISOString() };
}

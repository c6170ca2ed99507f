// Storing a student's answer: the hot path of a lecture (2,000 phones within seconds of "open"). The answer is
// read and scored here; one SQL statement then decides everything that must be atomic — the poll is open, its
// countdown has not run out, the student is enrolled — and upserts the single row per (poll, student).
import { z } from "zod";
import { db, sharedCache, type Tx } from "@/lib/db";
import { ABSTAIN_LABEL, answerSchemaFor, scoreAnswer } from "@/lib/questions";
import { PollError } from "./errors";
import { pollItem, seedFor, variantFor } from "./items";
import { markDirty } from "./live";
import { writeAnswer } from "./answer-writer";

export const answerRequestSchema = z.object({
  answer: z.unknown(),
  // Chosen by the phone for each new answer and resent unchanged on retries.
  idempotencyKey: z
    .string({ error: "idempotencyKey is missing" })
    .min(8, "idempotencyKey must be 8 to 100 characters")
    .max(100, "idempotencyKey must be 8 to 100 characters")
    .regex(/^[A-Za-z0-9:_-]+$/, "idempotencyKey may hold letters, digits, ':', '_' and '-'"),
});

// The parts of a poll that never change while it takes answers, so they need not be read per answer. Changing
// them (practice mode) forgets them in every instance (lib/db/shared-cache.ts).
type PollMeta = { courseId: string; itemSlug: string; practice: boolean };
const metaCache = sharedCache<PollMeta>("poll-meta", { ttlMs: 2_000 });

async function pollMeta(pollId: string): Promise<PollMeta | null> {
  await metaCache.ready();
  const hit = metaCache.get(pollId);
  if (hit) return hit;
  const meta = await db().poll.findUnique({ where: { id: pollId }, select: { courseId: true, itemSlug: true, practice: true } });
  return meta && metaCache.set(pollId, meta);
}

const uuid = z.uuid();

export type SavedAnswer = { saved: true; replayed: boolean; updatedAt: string };

/**
 * Stores a student's answer to an open poll. The caller vouches only for who the student is: enrollment, the
 * poll's state and its countdown are decided atomically with the write (lib/polls/answer-writer.ts).
 */
export async function submitAnswer(userId: string, courseId: string, pollId: string, body: unknown): Promise<SavedAnswer> {
  // Ids go into a statement shared with other students' answers: one malformed id must not fail theirs. And in
  // PostgreSQL's spelling, so that they compare equal to the ids it returns.
  const wellFormed = [pollId, courseId, userId].every((id) => uuid.safeParse(id).success);
  [pollId, courseId, userId] = [pollId, courseId, userId].map((id) => id.toLowerCase());
  const meta = wellFormed ? await pollMeta(pollId) : null;
  if (!meta || meta.courseId !== courseId) throw new PollError("This poll does not exist.", 404);
  const request = answerRequestSchema.safeParse(body);
  if (!request.success) throw await unreadable(userId, courseId, request.error.issues[0].message);

  const item = await pollItem(meta.itemSlug);
  const variant = variantFor(item, seedFor(meta, userId));
  const parsed = answerSchemaFor(item, variant).safeParse(request.data.answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw await unreadable(userId, courseId, `Your answer could not be read: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}.`);
  }
  let result;
  try {
    result = scoreAnswer(item, variant, parsed.data);
  } catch (e) {
    throw await unreadable(userId, courseId, `Your answer could not be scored: ${e instanceof Error ? e.message : e}`);
  }
  const label =
    result.status === "abstained" ? ABSTAIN_LABEL : result.correct === true ? "correct" : (result.mistake ?? (result.correct === false ? "other" : null));
  const value = result.value ?? ("value" in parsed.data && typeof parsed.data.value === "number" ? parsed.data.value : null);
  const key = request.data.idempotencyKey;

  const updatedAt = await writeAnswer({
    pollId,
    courseId,
    userId,
    answer: JSON.stringify(parsed.data),
    score: result.score,
    maxScore: result.maxScore,
    label,
    value,
    idempotencyKey: key,
  });
  if (updatedAt) {
    markDirty(pollId);
    return { saved: true, replayed: false, updatedAt: updatedAt.toISOString() };
  }
  return explainRefusal(userId, pollId, key);
}

// A malformed answer is refused before anything is written; to someone outside the course, though, the poll
// must not exist at all (the reason would tell them what kind of question it asks).
async function unreadable(userId: string, courseId: string, message: string): Promise<PollError> {
  const enrolled = await db().enrollment.findUnique({ where: { courseId_userId: { courseId, userId } }, select: { role: true } });
  return enrolled ? new PollError(message, 400) : new PollError("This poll does not exist.", 404);
}

// Nothing was written: a retry of an answer already stored, or a poll that does not take answers.
async function explainRefusal(userId: string, pollId: string, key: string): Promise<SavedAnswer> {
  const [state] = await db().$queryRaw<{ status: string; closesAt: Date | null; round: number; enrolled: boolean; key: string | null; responseRound: number | null; updatedAt: Date | null }[]>`
    SELECT p.status, p."closesAt", p.round,
           EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."courseId" = p."courseId" AND e."userId" = ${userId}::uuid) AS enrolled,
           r."idempotencyKey" AS key, r.round AS "responseRound", r."updatedAt"
    FROM "Poll" p LEFT JOIN "PollResponse" r ON r."pollId" = p.id AND r."userId" = ${userId}::uuid
    WHERE p.id = ${pollId}::uuid`;
  if (!state || !state.enrolled) throw new PollError("This poll does not exist.", 404);
  if (state.key === key && state.responseRound === state.round && state.updatedAt) {
    return { saved: true, replayed: true, updatedAt: state.updatedAt.toISOString() };
  }
  if (state.status === "DRAFT") throw new PollError("This poll is not open yet.", 409);
  if (state.status === "OPEN") throw new PollError("Time is up: this poll's countdown has ended. Your answer was not recorded.", 409);
  throw new PollError("This poll is closed. Your answer was not recorded.", 409);
}

/** Forgets a poll's cached facts in every instance once `tx` (the change of its settings) commits. */
export const forgetPollMeta = (pollId: string, tx: Pick<Tx, "$executeRaw">) => metaCache.invalidate(pollId, tx);

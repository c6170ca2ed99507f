// Storing a student's answer: the hot path of a lecture (2,000 phones within seconds of "open"). The answer is
// read and scored here; one SQL statement then decides everything that must be atomic — the poll is open, its
// countdown has not run out, the student is enrolled — and upserts the single row per (poll, student).
import { z } from "zod";
import type { Session } from "@/lib/auth/access";
import { db, sharedCache, type Tx } from "@/lib/db";
import { ABSTAIN_LABEL, answerSchemaFor, scoreAnswer } from "@/lib/questions";
import { clientToken, isId } from "@/lib/validation";
import { PollError } from "./errors";
import { pollItem, seedFor, variantFor } from "./items";
import { markDirty } from "./live";
import { writeAnswer } from "./answer-writer";

export const answerRequestSchema = z.object({
  answer: z.unknown(),
  // Chosen by the phone for each new answer and resent unchanged on retries.
  idempotencyKey: clientToken("idempotencyKey", 8, 100),
  // The phone (one page load) and its count of answers: a late retry of an older answer must not overwrite a
  // newer one. Optional: without them, the last answer to arrive wins.
  device: clientToken("device", 8, 64).optional(),
  seq: z.number({ error: "seq must be a whole number" }).int("seq must be a whole number").min(0).max(2 ** 31 - 1).optional(),
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

export type SavedAnswer = { saved: true; replayed: boolean; updatedAt: string };

/**
 * Stores a student's answer to an open poll. The caller vouches only for what the session token says: that the
 * session is still current, enrollment, the poll's state and its countdown are decided atomically with the
 * write (lib/polls/answer-writer.ts).
 */
export async function submitAnswer(session: Session, courseId: string, pollId: string, body: unknown): Promise<SavedAnswer> {
  // Ids go into a statement shared with other students' answers: one malformed id must not fail theirs. And in
  // PostgreSQL's spelling, so that they compare equal to the ids it returns.
  const wellFormed = [pollId, courseId, session.userId].every(isId);
  const userId = session.userId.toLowerCase();
  [pollId, courseId] = [pollId, courseId].map((id) => id.toLowerCase());
  const meta = wellFormed ? await pollMeta(pollId) : null;
  if (!meta || meta.courseId !== courseId) throw new PollError("not-found", "This poll does not exist.");
  const request = answerRequestSchema.safeParse(body);
  if (!request.success) {
    const issue = request.error.issues[0];
    throw await unreadable(session, courseId, issue.message, issue.path.map(String).join("."));
  }

  const item = await pollItem(meta.itemSlug);
  const variant = variantFor(item, seedFor(meta, userId));
  const parsed = answerSchemaFor(item, variant).safeParse(request.data.answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw await unreadable(session, courseId, `Your answer could not be read: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}.`, ["answer", ...issue.path.map(String)].join("."));
  }
  let result;
  try {
    result = scoreAnswer(item, variant, parsed.data);
  } catch (e) {
    throw await unreadable(session, courseId, `Your answer could not be scored: ${e instanceof Error ? e.message : e}`, "answer");
  }
  const label =
    result.status === "abstained" ? ABSTAIN_LABEL : result.correct === true ? "correct" : (result.mistake ?? (result.correct === false ? "other" : null));
  const value = result.value ?? ("value" in parsed.data && typeof parsed.data.value === "number" ? parsed.data.value : null);
  const { idempotencyKey: key, device = null, seq = null } = request.data;
  const answer = JSON.stringify(parsed.data);

  const updatedAt = await writeAnswer({
    pollId,
    courseId,
    userId,
    sessionVersion: session.version,
    answer,
    score: result.score,
    maxScore: result.maxScore,
    label,
    value,
    idempotencyKey: key,
    device,
    seq,
  });
  if (updatedAt) {
    markDirty(pollId);
    return { saved: true, replayed: false, updatedAt: updatedAt.toISOString() };
  }
  return explainRefusal(session, pollId, { key, answer, device, seq });
}

const sessionEnded = () => new PollError("unauthenticated", "Your session has ended. Sign in again.");

// A malformed answer is refused before anything is written; to someone outside the course, though, the poll
// must not exist at all (the reason would tell them what kind of question it asks).
async function unreadable(session: Session, courseId: string, message: string, field: string): Promise<PollError> {
  const user = await db().user.findUnique({
    where: { id: session.userId },
    select: { sessionVersion: true, enrollments: { where: { courseId }, select: { role: true } } },
  });
  if (!user || user.sessionVersion !== session.version) return sessionEnded();
  return user.enrollments.length ? new PollError("invalid", message, { field }) : new PollError("not-found", "This poll does not exist.");
}

type Sent = { key: string; answer: string; device: string | null; seq: number | null };

// Nothing was written: a retry of an answer already stored, an older answer arriving after a newer one, or a
// poll that does not take answers.
async function explainRefusal(session: Session, pollId: string, sent: Sent): Promise<SavedAnswer> {
  const [state] = await db().$queryRaw<
    {
      status: string;
      round: number;
      current: boolean;
      enrolled: boolean;
      key: string | null;
      sameAnswer: boolean | null;
      device: string | null;
      seq: number | null;
      responseRound: number | null;
      updatedAt: Date | null;
    }[]
  >`
    SELECT p.status, p.round,
           EXISTS (SELECT 1 FROM "User" u WHERE u.id = ${session.userId}::uuid AND u."sessionVersion" = ${session.version}) AS current,
           EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."courseId" = p."courseId" AND e."userId" = ${session.userId}::uuid) AS enrolled,
           r."idempotencyKey" AS key, r.answer = ${sent.answer}::jsonb AS "sameAnswer", r.device, r.seq,
           r.round AS "responseRound", r."updatedAt"
    FROM "Poll" p LEFT JOIN "PollResponse" r ON r."pollId" = p.id AND r."userId" = ${session.userId}::uuid
    WHERE p.id = ${pollId}::uuid`;
  if (state && !state.current) throw sessionEnded();
  if (!state || !state.enrolled) throw new PollError("not-found", "This poll does not exist.");
  const thisRound = state.responseRound === state.round && state.updatedAt;
  if (thisRound && state.key === sent.key) {
    if (!state.sameAnswer) throw new PollError("conflict", "This idempotencyKey was already used for a different answer: send a new answer with a new key.", { field: "idempotencyKey" });
    return { saved: true, replayed: true, updatedAt: state.updatedAt!.toISOString() };
  }
  if (thisRound && sent.device !== null && state.device === sent.device && state.seq !== null && sent.seq !== null && state.seq >= sent.seq) {
    throw new PollError("conflict", "A newer answer from this device is already saved; this older one was not.", { field: "seq" });
  }
  if (state.status === "DRAFT") throw new PollError("conflict", "This poll is not open yet.");
  if (state.status === "OPEN") throw new PollError("conflict", "Time is up: this poll's countdown has ended. Your answer was not recorded.");
  throw new PollError("conflict", "This poll is closed. Your answer was not recorded.");
}

/** Forgets a poll's cached facts in every instance once `tx` (the change of its settings) commits. */
export const forgetPollMeta = (pollId: string, tx: Pick<Tx, "$executeRaw">) => metaCache.invalidate(pollId, tx);

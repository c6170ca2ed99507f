// Storing a student's answer: the hot path of a lecture (2,000 phones within seconds of "open"). The answer is
// read and scored here (lib/polls/scoring.ts, with the poll's live key); one SQL statement then decides
// everything that must be atomic — the poll is open, its countdown has not run out, the student is enrolled,
// the key the score was computed with is still the poll's — and upserts the row per (poll, student, round).
import { z } from "zod";
import type { Session } from "@/lib/auth/access";
import { itemContentHash } from "@/lib/content";
import { db, sharedCache, type Tx } from "@/lib/db";
import { answerSchemaFor } from "@/lib/questions";
import { clientToken, isId } from "@/lib/validation";
import { PollError } from "./errors";
import { pollItem, seedFor, variantFor } from "./items";
import { markDirty } from "./live";
import { writeAnswer } from "./answer-writer";
import { scorePollAnswer } from "./scoring";

export const answerRequestSchema = z.object({
  answer: z.unknown(),
  // Chosen by the phone for each new answer and resent unchanged on retries.
  idempotencyKey: clientToken("idempotencyKey", 8, 100),
  // The phone (one page load) and its count of answers: a late retry of an older answer must not overwrite a
  // newer one. Optional: without them, the last answer to arrive wins.
  device: clientToken("device", 8, 64).optional(),
  seq: z.number({ error: "seq must be a whole number" }).int("seq must be a whole number").min(0).max(2 ** 31 - 1).optional(),
});

// The parts of a poll that rarely change while it takes answers, so they need not be read per answer. Changing
// them (practice mode, the live key) forgets them in every instance (lib/db/shared-cache.ts); the key may still
// change between reading it here and writing, so the answer statement checks the one a score was computed with.
type PollMeta = { courseId: string; itemSlug: string; practice: boolean; instructorAnswer: unknown };
const metaCache = sharedCache<PollMeta>("poll-meta", { ttlMs: 2_000 });

async function pollMeta(pollId: string): Promise<PollMeta | null> {
  await metaCache.ready();
  const hit = metaCache.get(pollId);
  if (hit) return hit;
  const meta = await db().poll.findUnique({ where: { id: pollId }, select: { courseId: true, itemSlug: true, practice: true, instructorAnswer: true } });
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
  let meta = wellFormed ? await pollMeta(pollId) : null;
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
  const { idempotencyKey: key, device = null, seq = null } = request.data;
  const answer = JSON.stringify(parsed.data);
  const contentHash = await itemContentHash(item);
  // Twice at most: a second time when the instructor changed the key between reading it and writing.
  for (let attempt = 0; ; attempt++) {
    let stored;
    try {
      stored = scorePollAnswer(item, variant, parsed.data, meta.instructorAnswer).stored;
    } catch (e) {
      throw await unreadable(session, courseId, `Your answer could not be scored: ${e instanceof Error ? e.message : e}`, "answer");
    }
    const updatedAt = await writeAnswer({
      pollId,
      courseId,
      userId,
      sessionVersion: session.version,
      answer,
      ...stored,
      idempotencyKey: key,
      contentHash,
      variantParams: variant.seed === null ? null : JSON.stringify(variant.params),
      scoredWith: meta.instructorAnswer == null ? null : JSON.stringify(meta.instructorAnswer),
      device,
      seq,
    });
    if (updatedAt) {
      markDirty(pollId);
      return { saved: true, replayed: false, updatedAt: updatedAt.toISOString() };
    }
    const refusal = await explainRefusal(session, pollId, { key, answer, device, seq }, meta.instructorAnswer);
    if ("saved" in refusal) return refusal;
    if (attempt > 0) throw new PollError("conflict", "The instructor changed this poll's answer while yours was being saved. Send it again.");
    meta = { ...meta, instructorAnswer: refusal.instructorAnswer };
  }
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

// Nothing was written: a retry of an answer already stored, an older answer arriving after a newer one, a poll
// that does not take answers (all thrown or answered here), or — the poll still open — a live key that changed
// since the answer was scored (returned: the caller scores it again with this key).
async function explainRefusal(session: Session, pollId: string, sent: Sent, scoredWith: unknown): Promise<SavedAnswer | { instructorAnswer: unknown }> {
  const [state] = await db().$queryRaw<
    {
      status: string;
      open: boolean;
      instructorAnswer: unknown;
      current: boolean;
      enrolled: boolean;
      key: string | null;
      sameAnswer: boolean | null;
      device: string | null;
      seq: number | null;
      updatedAt: Date | null;
    }[]
  >`
    SELECT p.status, (p.status = 'OPEN' AND (p."closesAt" IS NULL OR p."closesAt" > now())) AS open, p."instructorAnswer",
           EXISTS (SELECT 1 FROM "User" u WHERE u.id = ${session.userId}::uuid AND u."sessionVersion" = ${session.version}) AS current,
           EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."courseId" = p."courseId" AND e."userId" = ${session.userId}::uuid) AS enrolled,
           r."idempotencyKey" AS key, r.answer = ${sent.answer}::jsonb AS "sameAnswer", r.device, r.seq, r."updatedAt"
    FROM "Poll" p LEFT JOIN "PollResponse" r ON r."pollId" = p.id AND r."userId" = ${session.userId}::uuid AND r.round = p.round
    WHERE p.id = ${pollId}::uuid`;
  if (state && !state.current) throw sessionEnded();
  if (!state || !state.enrolled) throw new PollError("not-found", "This poll does not exist.");
  if (state.updatedAt && state.key === sent.key) {
    if (!state.sameAnswer) throw new PollError("conflict", "This idempotencyKey was already used for a different answer: send a new answer with a new key.", { field: "idempotencyKey" });
    return { saved: true, replayed: true, updatedAt: state.updatedAt.toISOString() };
  }
  if (state.updatedAt && sent.device !== null && state.device === sent.device && state.seq !== null && sent.seq !== null && state.seq >= sent.seq) {
    throw new PollError("conflict", "A newer answer from this device is already saved; this older one was not.", { field: "seq" });
  }
  if (state.open && JSON.stringify(state.instructorAnswer ?? null) !== JSON.stringify(scoredWith ?? null)) return { instructorAnswer: state.instructorAnswer };
  if (state.status === "DRAFT") throw new PollError("conflict", "This poll is not open yet.");
  if (state.status === "OPEN") throw new PollError("conflict", "Time is up: this poll's countdown has ended. Your answer was not recorded.");
  throw new PollError("conflict", "This poll is closed. Your answer was not recorded.");
}

/** Forgets a poll's cached facts in every instance once `tx` (the change of its settings) commits. */
export const forgetPollMeta = (pollId: string, tx: Pick<Tx, "$executeRaw">) => metaCache.invalidate(pollId, tx);

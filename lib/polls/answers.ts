// Storing a student's answer: the hot path of a lecture (2,000 phones within seconds of "open"). The answer is
// read and scored here (lib/polls/scoring.ts, with the poll's live key); one SQL statement then decides
// everything that must be atomic — the poll is open, its countdown has not run out, the student is enrolled,
// the key the score was computed with is still the poll's — and upserts the row per (poll, student, round).
import { z } from "zod";
import { db } from "@/lib/db";
import { itemContentHash } from "@/lib/content";
import { answerSchemaFor } from "@/lib/questions";
import { PollError } from "./errors";
import { pollItem, seedFor, variantFor } from "./items";
import { markDirty } from "./live";
import { writeAnswer } from "./answer-writer";
import { scorePollAnswer } from "./scoring";

export const answerRequestSchema = z.object({
  answer: z.unknown(),
  // Chosen by the phone for each new answer and resent unchanged on retries.
  idempotencyKey: z
    .string({ error: "idempotencyKey is missing" })
    .min(8, "idempotencyKey must be 8 to 100 characters")
    .max(100, "idempotencyKey must be 8 to 100 characters")
    .regex(/^[A-Za-z0-9:_-]+$/, "idempotencyKey may hold letters, digits, ':', '_' and '-'"),
});

// The parts of a poll that rarely change while it takes answers, so they need not be read per answer. The live
// key may change at any time: the answer statement checks the one a score was computed with.
type PollMeta = { courseId: string; itemSlug: string; practice: boolean; instructorAnswer: unknown };
// On globalThis: the Lectern server runs this module twice (inside Next.js, and in the plain Node routes of
// scripts/serve.ts), and forgetting a poll's facts must reach both.
const holder = globalThis as unknown as { lecternPollMeta?: Map<string, { meta: PollMeta; at: number }> };
const metaCache = (holder.lecternPollMeta ??= new Map());
const META_TTL_MS = 2_000;

async function pollMeta(pollId: string): Promise<PollMeta | null> {
  const hit = metaCache.get(pollId);
  if (hit && Date.now() - hit.at < META_TTL_MS) return hit.meta;
  const meta = await db().poll.findUnique({ where: { id: pollId }, select: { courseId: true, itemSlug: true, practice: true, instructorAnswer: true } });
  if (meta) metaCache.set(pollId, { meta, at: Date.now() });
  return meta;
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
  let meta = wellFormed ? await pollMeta(pollId) : null;
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
  const key = request.data.idempotencyKey;
  const contentHash = await itemContentHash(item);
  // Twice at most: a second time when the instructor changed the key between reading it and writing.
  for (let attempt = 0; ; attempt++) {
    let stored;
    try {
      stored = scorePollAnswer(item, variant, parsed.data, meta.instructorAnswer).stored;
    } catch (e) {
      throw await unreadable(userId, courseId, `Your answer could not be scored: ${e instanceof Error ? e.message : e}`);
    }
    const updatedAt = await writeAnswer({
      pollId,
      courseId,
      userId,
      answer: JSON.stringify(parsed.data),
      ...stored,
      idempotencyKey: key,
      contentHash,
      variantParams: variant.seed === null ? null : JSON.stringify(variant.params),
      scoredWith: meta.instructorAnswer == null ? null : JSON.stringify(meta.instructorAnswer),
    });
    if (updatedAt) {
      markDirty(pollId);
      return { saved: true, replayed: false, updatedAt: updatedAt.toISOString() };
    }
    const refusal = await explainRefusal(userId, pollId, key, meta.instructorAnswer);
    if (refusal.kind === "replayed") return refusal.saved;
    if (refusal.kind === "refused" || attempt > 0) throw refusal.error;
    forgetPollMeta(pollId);
    meta = { ...meta, instructorAnswer: refusal.instructorAnswer };
  }
}

// A malformed answer is refused before anything is written; to someone outside the course, though, the poll
// must not exist at all (the reason would tell them what kind of question it asks).
async function unreadable(userId: string, courseId: string, message: string): Promise<PollError> {
  const enrolled = await db().enrollment.findUnique({ where: { courseId_userId: { courseId, userId } }, select: { role: true } });
  return enrolled ? new PollError(message, 400) : new PollError("This poll does not exist.", 404);
}

// Nothing was written: a retry of an answer already stored, a poll that does not take answers, or (still open)
// a poll whose live key changed since the answer was scored.
type Refusal =
  | { kind: "replayed"; saved: SavedAnswer }
  | { kind: "refused"; error: PollError }
  | { kind: "rescore"; instructorAnswer: unknown; error: PollError };

async function explainRefusal(userId: string, pollId: string, key: string, scoredWith: unknown): Promise<Refusal> {
  const [state] = await db().$queryRaw<{ status: string; open: boolean; instructorAnswer: unknown; enrolled: boolean; key: string | null; updatedAt: Date | null }[]>`
    SELECT p.status, (p.status = 'OPEN' AND (p."closesAt" IS NULL OR p."closesAt" > now())) AS open, p."instructorAnswer",
           EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."courseId" = p."courseId" AND e."userId" = ${userId}::uuid) AS enrolled,
           r."idempotencyKey" AS key, r."updatedAt"
    FROM "Poll" p LEFT JOIN "PollResponse" r ON r."pollId" = p.id AND r."userId" = ${userId}::uuid AND r.round = p.round
    WHERE p.id = ${pollId}::uuid`;
  const refused = (message: string, status: 404 | 409) => ({ kind: "refused" as const, error: new PollError(message, status) });
  if (!state || !state.enrolled) return refused("This poll does not exist.", 404);
  if (state.key === key && state.updatedAt) return { kind: "replayed", saved: { saved: true, replayed: true, updatedAt: state.updatedAt.toISOString() } };
  if (state.open && JSON.stringify(state.instructorAnswer ?? null) !== JSON.stringify(scoredWith ?? null)) {
    return { kind: "rescore", instructorAnswer: state.instructorAnswer, error: new PollError("The instructor changed this poll's answer while yours was being saved. Send it again.", 409) };
  }
  if (state.status === "DRAFT") return refused("This poll is not open yet.", 409);
  if (state.status === "OPEN") return refused("Time is up: this poll's countdown has ended. Your answer was not recorded.", 409);
  return refused("This poll is closed. Your answer was not recorded.", 409);
}

/** Forget cached poll facts after the instructor changes its settings. */
export const forgetPollMeta = (pollId: string) => metaCache.delete(pollId);

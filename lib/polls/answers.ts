// Storing a student's answer: the hot path of a lecture (2,000 phones within seconds of "open").
// One SQL statement decides everything that must be atomic — the poll is open, its countdown has not run out,
// the student is enrolled — and upserts the single row per (poll, student).
import { z } from "zod";
import { db, pgPool } from "@/lib/db";
import { answerSchemaFor, scoreAnswer } from "@/lib/questions";
import { PollError } from "./errors";
import { pollItem, seedFor, variantFor } from "./items";
import { markDirty } from "./live";

export const answerRequestSchema = z.object({
  answer: z.unknown(),
  // Chosen by the phone for each new answer and resent unchanged on retries.
  idempotencyKey: z
    .string({ error: "idempotencyKey is missing" })
    .min(8, "idempotencyKey must be 8 to 100 characters")
    .max(100, "idempotencyKey must be 8 to 100 characters")
    .regex(/^[A-Za-z0-9:_-]+$/, "idempotencyKey may hold letters, digits, ':', '_' and '-'"),
});

// The parts of a poll that never change while it takes answers, so they need not be read per answer.
type PollMeta = { courseId: string; itemSlug: string; practice: boolean };
const metaCache = new Map<string, { meta: PollMeta; at: number }>();
const META_TTL_MS = 2_000;

async function pollMeta(pollId: string): Promise<PollMeta | null> {
  const hit = metaCache.get(pollId);
  if (hit && Date.now() - hit.at < META_TTL_MS) return hit.meta;
  const meta = await db().poll.findUnique({ where: { id: pollId }, select: { courseId: true, itemSlug: true, practice: true } });
  if (meta) metaCache.set(pollId, { meta, at: Date.now() });
  return meta;
}

// Everything that must hold together is decided in this one statement: the poll is open and its countdown
// not over, the student is enrolled, and there is one row per (poll, student). A retry with the same key and
// round changes nothing and returns no row (explainRefusal tells a replay from a refusal).
const UPSERT_ANSWER = `
  INSERT INTO "PollResponse" ("pollId", "userId", round, answer, score, "maxScore", label, value, "idempotencyKey", "updatedAt")
  SELECT p.id, $2::uuid, p.round, $3::jsonb, $4, $5, $6, $7, $8, now()
  FROM "Poll" p
  WHERE p.id = $1::uuid AND p."courseId" = $9::uuid
    AND p.status = 'OPEN' AND (p."closesAt" IS NULL OR p."closesAt" > now())
    AND EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."courseId" = p."courseId" AND e."userId" = $2::uuid)
  ON CONFLICT ("pollId", "userId") DO UPDATE SET
    answer = EXCLUDED.answer, score = EXCLUDED.score, "maxScore" = EXCLUDED."maxScore", label = EXCLUDED.label,
    value = EXCLUDED.value, round = EXCLUDED.round, "idempotencyKey" = EXCLUDED."idempotencyKey", "updatedAt" = now()
  WHERE "PollResponse"."idempotencyKey" IS DISTINCT FROM EXCLUDED."idempotencyKey"
     OR "PollResponse".round IS DISTINCT FROM EXCLUDED.round
  RETURNING "updatedAt"`;

const uuid = z.uuid();

export type SavedAnswer = { saved: true; replayed: boolean; updatedAt: string };

export async function submitAnswer(userId: string, courseId: string, pollId: string, body: unknown): Promise<SavedAnswer> {
  const request = answerRequestSchema.safeParse(body);
  if (!request.success) throw new PollError(request.error.issues[0].message, 400);
  const meta = uuid.safeParse(pollId).success ? await pollMeta(pollId) : null;
  if (!meta || meta.courseId !== courseId) throw new PollError("This poll does not exist.", 404);

  const item = await pollItem(meta.itemSlug);
  const variant = variantFor(item, seedFor(meta, userId));
  const parsed = answerSchemaFor(item, variant).safeParse(request.data.answer);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PollError(`Your answer could not be read: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}.`, 400);
  }
  let result;
  try {
    result = scoreAnswer(item, variant, parsed.data);
  } catch (e) {
    throw new PollError(`Your answer could not be scored: ${e instanceof Error ? e.message : e}`, 400);
  }
  const label = result.correct === true ? "correct" : (result.mistake ?? (result.correct === false ? "other" : null));
  const value = result.value ?? ("value" in parsed.data && typeof parsed.data.value === "number" ? parsed.data.value : null);
  const key = request.data.idempotencyKey;

  const { rows } = await pgPool().query<{ updatedAt: Date }>({
    name: "lectern-poll-answer",
    text: UPSERT_ANSWER,
    values: [pollId, userId, JSON.stringify(parsed.data), result.score, result.maxScore, label, value, key, courseId],
  });
  if (rows.length === 1) {
    markDirty(pollId);
    return { saved: true, replayed: false, updatedAt: rows[0].updatedAt.toISOString() };
  }
  return explainRefusal(userId, pollId, key);
}

// The statement wrote nothing: a retry of an answer already stored, or a poll that does not take answers.
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

/** Forget cached poll facts after the instructor changes its settings. */
export const forgetPollMeta = (pollId: string) => metaCache.delete(pollId);

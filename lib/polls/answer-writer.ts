// Group commit for answers. When a poll opens, hundreds of phones answer within the same second; a round trip
// to PostgreSQL per answer costs more CPU than everything else an answer needs (the query's socket write wakes
// the database on the other core). So answers arriving within a couple of milliseconds go together, in one
// statement: one round trip for a whole handful.
//
// A statement holds at most one answer per (poll, student) — PostgreSQL cannot upsert the same row twice in one
// statement — and a student's next answer waits until the statement holding their previous one is done, so
// each student's answers are written in the order they arrived, even with several statements under way.
import { processState } from "@/lib/process-state";
import { isDatabaseUnavailable, pgPool } from "@/lib/db";
import { PollError } from "./errors";

export type AnswerRow = {
  pollId: string;
  courseId: string;
  userId: string;
  /** The session version the answer's session token was issued under: a signed-out session writes nothing. */
  sessionVersion: number;
  answer: string; // JSON
  score: number | null;
  maxScore: number | null;
  label: string | null;
  value: number | null;
  idempotencyKey: string;
  /** The item's content version the score was computed from. */
  contentHash: string | null;
  /** The student's own numbers (practice), as JSON; null for the lecture's variant. */
  variantParams: string | null;
  /** The poll's live key the score was computed with, as JSON; null when none is set. */
  scoredWith: string | null;
  device: string | null;
  seq: number | null;
};

// Everything that must hold together is decided here, per row: the session is still current, the poll is open
// and its countdown not over, the student is enrolled, there is one row per (poll, student, round), and the
// score was computed with the poll's live key as it stands. The poll row is share-locked for that: a change of
// the key (which re-scores every stored row under FOR UPDATE, lib/polls/scoring.ts) waits for statements under
// way, and a statement that waited for one re-reads the key and drops rows scored with the old one (the caller
// scores them again). (The lock costs next to nothing: the foreign key check on the poll already locks its row
// in every statement.) A retry with the same key changes nothing and returns no row; neither does an answer
// older (lower seq) than the one its device already stored this round, nor a refusal (the caller tells them
// apart). A round's first answer stores how long after the opening it came; a changed answer moves the one it
// replaces into earlierAnswers (the first 50 changes are kept), so that the burst of first answers writes
// nothing more than the row itself.
const UPSERT_ANSWERS = `
  INSERT INTO "PollResponse" ("pollId", "userId", round, answer, score, "maxScore", label, value, "idempotencyKey", "contentHash", "variantParams", anonymous, "firstAnswerMs", device, seq, "updatedAt")
  SELECT p.id, v."userId", p.round, v.answer, v.score, v."maxScore", v.label, v.value, v."idempotencyKey", v."contentHash", v."variantParams", p.anonymous,
         extract(epoch FROM now() - p."openedAt") * 1000, v.device, v.seq, now()
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::jsonb[], $5::float8[], $6::float8[], $7::text[], $8::float8[], $9::text[], $10::text[], $11::jsonb[], $12::jsonb[], $13::text[], $14::int[], $15::int[])
         AS v("pollId", "courseId", "userId", answer, score, "maxScore", label, value, "idempotencyKey", "contentHash", "variantParams", "scoredWith", device, seq, "sessionVersion")
  JOIN "Poll" p ON p.id = v."pollId" AND p."courseId" = v."courseId"
  JOIN "User" u ON u.id = v."userId" AND u."sessionVersion" = v."sessionVersion"
  WHERE p.status = 'OPEN' AND (p."closesAt" IS NULL OR p."closesAt" > now())
    AND coalesce(p."instructorAnswer", 'null'::jsonb) = coalesce(v."scoredWith", 'null'::jsonb)
    AND EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."courseId" = p."courseId" AND e."userId" = v."userId")
  FOR SHARE OF p
  ON CONFLICT ("pollId", "userId", round) DO UPDATE SET
    answer = EXCLUDED.answer, score = EXCLUDED.score, "maxScore" = EXCLUDED."maxScore", label = EXCLUDED.label,
    value = EXCLUDED.value, "idempotencyKey" = EXCLUDED."idempotencyKey", "contentHash" = EXCLUDED."contentHash",
    "variantParams" = EXCLUDED."variantParams", anonymous = "PollResponse".anonymous OR EXCLUDED.anonymous,
    "earlierAnswers" = CASE WHEN coalesce(jsonb_array_length("PollResponse"."earlierAnswers"), 0) < 50
      THEN coalesce("PollResponse"."earlierAnswers", '[]'::jsonb)
           || jsonb_build_array(jsonb_build_object('answer', "PollResponse".answer, 'label', "PollResponse".label, 'at', "PollResponse"."updatedAt"))
      ELSE "PollResponse"."earlierAnswers" END,
    device = EXCLUDED.device, seq = EXCLUDED.seq, "updatedAt" = now()
  WHERE "PollResponse"."idempotencyKey" IS DISTINCT FROM EXCLUDED."idempotencyKey"
    AND NOT COALESCE("PollResponse".device = EXCLUDED.device AND "PollResponse".seq >= EXCLUDED.seq, false)
  RETURNING "pollId", "userId", "updatedAt"`;

// Enough to keep one statement's parameters small; a larger queue simply takes several statements.
const MAX_BATCH = 256;
// Statements under way at once: while one waits on the database, the next batch is already on its way.
const MAX_STATEMENTS = 4;
// Waking the database costs more than the rows it is woken for, so a statement waits this long for company
// unless GATHER_UNTIL answers are already waiting. Invisible next to a phone's own network latency.
const GATHER_MS = 2;
const GATHER_UNTIL = 16;
// A phone sends one answer at a time; a client firing many at once for one poll gets this many in line, and a
// refusal after that, rather than a queue that grows without bound.
const MAX_WAITING_PER_STUDENT = 8;

/** Resolves with the stored row's updatedAt, or null when nothing was written (a replay or a refusal). */
type Pending = { row: AnswerRow; resolve: (updatedAt: Date | null) => void; reject: (e: unknown) => void };
type Writer = {
  queue: Pending[];
  /** (poll, student) pairs in a statement under way: their next answers wait for it. */
  writing: Set<string>;
  statements: number;
  timer?: ReturnType<typeof setTimeout>;
  /** Answers queued or being written, per (poll, student). */
  perStudent: Map<string, number>;
};

// One writer per process, whichever module copy an answer comes through (lib/process-state.ts).
const writer = processState<Writer>("lib/polls/answer-writer", () => ({ queue: [], writing: new Set(), statements: 0, perStudent: new Map() }));

export function writeAnswer(row: AnswerRow): Promise<Date | null> {
  const key = rowKey(row);
  const waiting = writer.perStudent.get(key) ?? 0;
  if (waiting >= MAX_WAITING_PER_STUDENT) {
    return Promise.reject(new PollError("conflict", "Your earlier answers to this poll are still being saved. Try again in a moment."));
  }
  writer.perStudent.set(key, waiting + 1);
  return new Promise<Date | null>((resolve, reject) => {
    writer.queue.push({ row, resolve, reject });
    schedule();
  }).finally(() => {
    const left = writer.perStudent.get(key)! - 1;
    if (left > 0) writer.perStudent.set(key, left);
    else writer.perStudent.delete(key);
  });
}

function schedule() {
  if (writer.timer || writer.queue.length === 0 || writer.statements >= MAX_STATEMENTS) return;
  writer.timer = setTimeout(flush, writer.queue.length >= GATHER_UNTIL ? 0 : GATHER_MS);
}

function flush() {
  writer.timer = undefined;
  while (writer.statements < MAX_STATEMENTS) {
    const batch = takeBatch();
    if (batch.length === 0) break;
    void write(batch);
  }
}

async function write(batch: Pending[]) {
  const keys = batch.map((p) => rowKey(p.row));
  writer.statements++;
  keys.forEach((key) => writer.writing.add(key));
  try {
    const stored = await upsert(batch.map((p) => p.row));
    for (const p of batch) p.resolve(stored.get(rowKey(p.row)) ?? null);
  } catch (e) {
    for (const p of batch) p.reject(e);
  } finally {
    keys.forEach((key) => writer.writing.delete(key));
    writer.statements--;
    schedule();
  }
}

// In PostgreSQL's spelling of a uuid (lower case), so one row cannot enter a statement twice under two spellings
// and what RETURNING gives back finds its answer.
const rowKey = (row: { pollId: string; userId: string }) => `${row.pollId}:${row.userId}`.toLowerCase();

/**
 * The oldest answers, at most one per (poll, student) and none for a pair already being written; the rest stay
 * queued in arrival order.
 */
function takeBatch(): Pending[] {
  const batch: Pending[] = [];
  const rest: Pending[] = [];
  const held = new Set(writer.writing);
  for (const p of writer.queue) {
    const key = rowKey(p.row);
    if (batch.length < MAX_BATCH && !held.has(key)) batch.push(p);
    else rest.push(p);
    // A later answer from this phone must not overtake this one, whichever way this one went.
    held.add(key);
  }
  writer.queue = rest;
  return batch;
}

// A statement cut off by the database going away may or may not have committed; sent again it changes nothing
// that it already wrote (same keys: a replay), so it is retried while the server restarts.
const RETRY_WITHIN_MS = 5_000;

async function upsert(rows: AnswerRow[]): Promise<Map<string, Date>> {
  const deadline = Date.now() + RETRY_WITHIN_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await upsertOnce(rows);
    } catch (e) {
      if (!isDatabaseUnavailable(e) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, Math.min(500, 50 * 2 ** attempt)));
    }
  }
}

async function upsertOnce(rows: AnswerRow[]): Promise<Map<string, Date>> {
  const column = <K extends keyof AnswerRow>(key: K) => rows.map((r) => r[key]);
  const { rows: stored } = await pgPool().query<{ pollId: string; userId: string; updatedAt: Date }>({
    name: "lectern-poll-answers",
    text: UPSERT_ANSWERS,
    values: [
      column("pollId"),
      column("courseId"),
      column("userId"),
      column("answer"),
      column("score"),
      column("maxScore"),
      column("label"),
      column("value"),
      column("idempotencyKey"),
      column("contentHash"),
      column("variantParams"),
      column("scoredWith"),
      column("device"),
      column("seq"),
      column("sessionVersion"),
    ],
  });
  return new Map(stored.map((r) => [rowKey(r), r.updatedAt]));
}

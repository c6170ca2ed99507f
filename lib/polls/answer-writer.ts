// Group commit for answers. When a poll opens, hundreds of phones answer within the same second; a round trip
// to PostgreSQL per answer costs more CPU than everything else an answer needs (the query's socket write wakes
// the database on the other core). So answers that arrive while a write is under way wait for it and then go
// together, in one statement: one round trip for a whole handful, and no wait at all when the room is quiet.
//
// One statement at a time keeps a student's answers in the order they arrived, and a batch holds at most one
// answer per (poll, student) — PostgreSQL cannot upsert the same row twice in one statement — so a second
// answer from the same phone simply goes in the next batch.
import { pgPool } from "@/lib/db";

export type AnswerRow = {
  pollId: string;
  courseId: string;
  userId: string;
  answer: string; // JSON
  score: number | null;
  maxScore: number | null;
  label: string | null;
  value: number | null;
  idempotencyKey: string;
};

// Everything that must hold together is decided here, per row: the poll is open and its countdown not over,
// the student is enrolled, and there is one row per (poll, student). A retry with the same key and round
// changes nothing and returns no row; neither does a refusal (the caller tells them apart).
const UPSERT_ANSWERS = `
  INSERT INTO "PollResponse" ("pollId", "userId", round, answer, score, "maxScore", label, value, "idempotencyKey", "updatedAt")
  SELECT p.id, v."userId", p.round, v.answer, v.score, v."maxScore", v.label, v.value, v."idempotencyKey", now()
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::jsonb[], $5::float8[], $6::float8[], $7::text[], $8::float8[], $9::text[])
         AS v("pollId", "courseId", "userId", answer, score, "maxScore", label, value, "idempotencyKey")
  JOIN "Poll" p ON p.id = v."pollId" AND p."courseId" = v."courseId"
  WHERE p.status = 'OPEN' AND (p."closesAt" IS NULL OR p."closesAt" > now())
    AND EXISTS (SELECT 1 FROM "Enrollment" e WHERE e."courseId" = p."courseId" AND e."userId" = v."userId")
  ON CONFLICT ("pollId", "userId") DO UPDATE SET
    answer = EXCLUDED.answer, score = EXCLUDED.score, "maxScore" = EXCLUDED."maxScore", label = EXCLUDED.label,
    value = EXCLUDED.value, round = EXCLUDED.round, "idempotencyKey" = EXCLUDED."idempotencyKey", "updatedAt" = now()
  WHERE "PollResponse"."idempotencyKey" IS DISTINCT FROM EXCLUDED."idempotencyKey"
     OR "PollResponse".round IS DISTINCT FROM EXCLUDED.round
  RETURNING "pollId", "userId", "updatedAt"`;

// Enough to keep one statement's parameters small; a larger queue simply takes several statements.
const MAX_BATCH = 256;
// Waking the database costs more than the rows it is woken for, so a write waits this long for company unless
// GATHER_UNTIL answers are already waiting. Invisible next to a phone's own network latency.
const GATHER_MS = 2;
const GATHER_UNTIL = 16;

/** Resolves with the stored row's updatedAt, or null when nothing was written (a replay or a refusal). */
type Pending = { row: AnswerRow; resolve: (updatedAt: Date | null) => void; reject: (e: unknown) => void };

// Per process, kept across Next.js dev reloads like the rest of the live machinery.
const holder = globalThis as unknown as { lecternAnswerWriter?: { queue: Pending[]; writing: boolean } };
const writer = (holder.lecternAnswerWriter ??= { queue: [], writing: false });

export function writeAnswer(row: AnswerRow): Promise<Date | null> {
  return new Promise((resolve, reject) => {
    writer.queue.push({ row, resolve, reject });
    if (!writer.writing) {
      writer.writing = true;
      setTimeout(drain, GATHER_MS);
    }
  });
}

async function drain() {
  while (writer.queue.length > 0) {
    // A thin queue in a busy room is worth a moment's wait: the next answers are milliseconds away.
    if (writer.queue.length < GATHER_UNTIL) await new Promise((r) => setTimeout(r, GATHER_MS));
    const batch = takeBatch();
    try {
      const stored = await upsert(batch.map((p) => p.row));
      for (const p of batch) p.resolve(stored.get(rowKey(p.row)) ?? null);
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
  writer.writing = false;
}

const rowKey = (row: { pollId: string; userId: string }) => `${row.pollId}:${row.userId}`;

/** The oldest answers, at most one per (poll, student); the rest stay queued in arrival order. */
function takeBatch(): Pending[] {
  const batch: Pending[] = [];
  const rest: Pending[] = [];
  const keys = new Set<string>();
  for (const p of writer.queue) {
    const key = rowKey(p.row);
    if (batch.length < MAX_BATCH && !keys.has(key)) {
      keys.add(key);
      batch.push(p);
    } else {
      keys.add(key); // a later answer from this phone must not overtake an earlier one left in the queue
      rest.push(p);
    }
  }
  writer.queue = rest;
  return batch;
}

async function upsert(rows: AnswerRow[]): Promise<Map<string, Date>> {
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
    ],
  });
  return new Map(stored.map((r) => [rowKey(r), r.updatedAt]));
}

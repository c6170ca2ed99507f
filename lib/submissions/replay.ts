// A submission sent again — the editor retrying after a lost answer, or the student pressing Submit again on the
// same code — carries the key of the first send, and gets back the attempt it already made: nothing is stored
// twice, and no rate-limit token or capped attempt is spent on it. Keys are chosen by the browser per text
// submitted (app/(student)/…/Workspace.tsx), like the answers' keys of the phones.
import { z } from "zod";
import type { SubmissionStatus } from "@/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { SubmissionError } from "./errors";

const keySchema = z
  .string({ error: "idempotencyKey must be text" })
  .min(8, "idempotencyKey must be 8 to 100 characters")
  .max(100, "idempotencyKey must be 8 to 100 characters")
  .regex(/^[A-Za-z0-9:_-]+$/, "idempotencyKey may hold letters, digits, ':', '_' and '-'");

/** The request's idempotency key, if it sent one (optional: a client without one gets a new attempt each time). */
export function idempotencyKeyOf(body: unknown): string | undefined {
  const key = typeof body === "object" && body !== null ? (body as { idempotencyKey?: unknown }).idempotencyKey : undefined;
  if (key === undefined) return undefined;
  const parsed = keySchema.safeParse(key);
  if (!parsed.success) throw new SubmissionError(parsed.error.issues[0].message, 400);
  return parsed.data;
}

export type Replayed = { id: string; attempt: number; late: boolean; status: SubmissionStatus; replayed: true };

/**
 * The student's earlier submission with this key, or null. Called inside the submit transaction, after its
 * per-student lock, so that two sends of one key racing each other make one attempt.
 */
export async function earlierSubmission(tx: Tx, courseExerciseId: string, userId: string, key: string, code: string): Promise<Replayed | null> {
  const row = await tx.submission.findFirst({
    where: { courseExerciseId, userId, idempotencyKey: key },
    select: { id: true, attempt: true, late: true, status: true, code: true },
  });
  if (!row) return null;
  if (row.code !== code) throw new SubmissionError("This submission's key was already used for different code. Submit again to send the new code.", 409);
  return { id: row.id, attempt: row.attempt, late: row.late, status: row.status, replayed: true };
}

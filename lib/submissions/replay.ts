// A submission sent again — the editor retrying after a lost answer, or the student pressing Submit again on the
// same code — carries the key of the first send, and gets back the attempt it already made: nothing is stored
// twice, and no rate-limit token or capped attempt is spent on it. Keys are chosen by the browser per text
// submitted (app/(student)/…/Workspace.tsx), like the answers' keys of the phones.
import type { SubmissionStatus } from "@/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { SubmissionError } from "./errors";

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
  if (row.code !== code) {
    throw new SubmissionError("conflict", "This submission's key was already used for different code. Submit again to send the new code.", { field: "idempotencyKey" });
  }
  return { id: row.id, attempt: row.attempt, late: row.late, status: row.status, replayed: true };
}

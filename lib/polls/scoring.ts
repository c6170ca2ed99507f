// One truth for a poll response's score. Everything a score depends on — the item (its content version), the
// student's variant, the answer, and the instructor's live key — goes in here, and nowhere else computes one:
// answering stores what this says, a change of the key re-scores every stored row through it in the same
// transaction, and the phone, the results and the gradebook read the stored row.
import { itemContentHash, type Item } from "@/lib/content";
import type { Tx } from "@/lib/db";
import { ABSTAIN_LABEL, scoreAnswer, type ScoreResult, type Variant } from "@/lib/questions";
import { instructorKey, pollItem, scoreOptions, seedFor, variantFor } from "./items";

export type StoredScore = {
  /** null while the answer cannot be scored yet (the instructor has not set the right answer). */
  score: number | null;
  /** 0 for an opinion poll: it has nothing to get right. */
  maxScore: number;
  /** "correct", the named mistake, "other" (wrong, no name), ABSTAIN_LABEL, or null (pending, opinion). */
  label: string | null;
  /** The number behind the answer (numeric value, recomputed metric). */
  value: number | null;
};

/** The stored form of a score result. */
function storedScore(result: ScoreResult, answer: unknown): StoredScore {
  const label =
    result.status === "abstained" ? ABSTAIN_LABEL : result.correct === true ? "correct" : (result.mistake ?? (result.correct === false ? "other" : null));
  const given = (answer as { value?: unknown } | null)?.value;
  return {
    score: result.status === "pending" ? null : result.score,
    maxScore: result.maxScore,
    label,
    value: result.value ?? (typeof given === "number" ? given : null),
  };
}

/** Scores one answer as it will be stored: with the poll's live key (`instructorAnswer` as stored on the poll). */
export function scorePollAnswer(item: Item, variant: Variant, answer: unknown, instructorAnswer: unknown): { result: ScoreResult; stored: StoredScore } {
  const result = scoreAnswer(item, variant, answer, scoreOptions(instructorKey(instructorAnswer)));
  return { result, stored: storedScore(result, answer) };
}

/**
 * Re-scores every stored response of a poll, every round, with the item as it is now and the poll's key as
 * `tx` sees it. Run inside the transaction that changed the key, after locking the poll row (FOR UPDATE):
 * answers being stored meanwhile hold a share lock on that row (lib/polls/answer-writer.ts), so none slips
 * between this and the commit with a score computed from the old key. Returns how many rows changed.
 */
export async function rescorePoll(tx: Tx, pollId: string): Promise<number> {
  const poll = await tx.poll.findUniqueOrThrow({ where: { id: pollId }, select: { courseId: true, itemSlug: true, practice: true, instructorAnswer: true } });
  const item = await pollItem(poll.itemSlug);
  const contentHash = await itemContentHash(item);
  const rows = await tx.pollResponse.findMany({ where: { pollId }, select: { id: true, userId: true, answer: true, score: true, maxScore: true, label: true, value: true, contentHash: true } });
  const changed: { id: string; stored: StoredScore }[] = [];
  for (const row of rows) {
    let stored: StoredScore;
    try {
      stored = scorePollAnswer(item, variantFor(item, seedFor(poll, row.userId)), row.answer, poll.instructorAnswer).stored;
    } catch {
      // An answer the current content no longer accepts (an option removed): it keeps its score.
      continue;
    }
    if (stored.score !== row.score || stored.maxScore !== row.maxScore || stored.label !== row.label || stored.value !== row.value || row.contentHash !== contentHash) {
      changed.push({ id: row.id, stored });
    }
  }
  if (changed.length === 0) return 0;
  await tx.$executeRaw`
    UPDATE "PollResponse" r SET score = v.score, "maxScore" = v."maxScore", label = v.label, value = v.value, "contentHash" = ${contentHash}
    FROM unnest(${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.stored.score)}::float8[], ${changed.map((c) => c.stored.maxScore)}::float8[],
                ${changed.map((c) => c.stored.label)}::text[], ${changed.map((c) => c.stored.value)}::float8[]) AS v(id, score, "maxScore", label, value)
    WHERE r.id = v.id`;
  return changed.length;
}

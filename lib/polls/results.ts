// Results kept for the instructor: each poll's responses, round by round. (Scores per student are the
// gradebook's: lib/gradebook.)
import { db } from "@/lib/db";

/** One answer as a person reads it: "D", "A, C", "7850", "MSE 0.41". */
export function describeAnswer(answer: unknown, value: number | null): string {
  const a = answer as { choice?: string; choices?: string[]; value?: number; text?: string };
  if (a?.choice) return a.choice;
  if (typeof a?.text === "string") return a.text;
  if (Array.isArray(a?.choices)) return a.choices.length ? [...a.choices].sort().join(", ") : "(none)";
  if (value !== null) return Number(value.toPrecision(6)).toString();
  if (typeof a?.value === "number") return String(a.value);
  return "(answered)";
}

/** One answer of a round, in the order the student gave them. */
export type AnswerHistoryEntry = { answer: unknown; label: string | null; at: string | null };

/** A response's answers in order: the ones it replaced (PollResponse.earlierAnswers), then the one standing. */
export function answerHistory(r: { answer: unknown; label: string | null; updatedAt: Date; earlierAnswers: unknown }): AnswerHistoryEntry[] {
  const earlier = Array.isArray(r.earlierAnswers) ? (r.earlierAnswers as AnswerHistoryEntry[]) : [];
  return [...earlier, { answer: r.answer, label: r.label, at: r.updatedAt.toISOString() }];
}

/** One poll's responses in one round (the current one unless asked), with the rounds that hold answers. */
export async function pollResponses(courseId: string, pollId: string, round?: number) {
  const poll = await db().poll.findFirst({ where: { id: pollId, courseId } });
  if (!poll) return null;
  const shown = round ?? poll.round;
  const [rows, rounds] = await Promise.all([
    db().pollResponse.findMany({
      where: { pollId, round: shown },
      include: { user: { select: { name: true, email: true } } },
      orderBy: { updatedAt: "asc" },
    }),
    db().pollResponse.groupBy({ by: ["round"], where: { pollId }, _count: { _all: true }, orderBy: { round: "asc" } }),
  ]);
  return {
    poll,
    round: shown,
    rounds: rounds.map((r) => ({ round: r.round, responses: r._count._all })),
    rows: rows.map((r) => {
      // An answer given while the poll was anonymous stays nameless, whatever the poll is now.
      const hidden = poll.anonymous || r.anonymous;
      return {
        id: r.id,
        name: hidden ? null : r.user.name,
        email: hidden ? null : r.user.email,
        answer: describeAnswer(r.answer, r.value),
        label: r.label,
        score: r.score,
        maxScore: r.maxScore,
        updatedAt: r.updatedAt.toISOString(),
      };
    }),
  };
}

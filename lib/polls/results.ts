// Results kept for the instructor: each poll's responses, participation per student, and a CSV of it all.
import { db } from "@/lib/db";
import { pollItem } from "./items";

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

export async function pollResponses(courseId: string, pollId: string) {
  const poll = await db().poll.findFirst({ where: { id: pollId, courseId } });
  if (!poll) return null;
  const rows = await db().pollResponse.findMany({
    where: { pollId, round: poll.round },
    include: { user: { select: { name: true, email: true } } },
    orderBy: { updatedAt: "asc" },
  });
  return {
    poll,
    rows: rows.map((r) => ({
      id: r.id,
      name: poll.anonymous ? null : r.user.name,
      email: poll.anonymous ? null : r.user.email,
      answer: describeAnswer(r.answer, r.value),
      label: r.label,
      score: r.score,
      maxScore: r.maxScore,
      updatedAt: r.updatedAt.toISOString(),
    })),
  };
}

/** Students × polls of a course: who answered what, in the current round of each poll. */
export async function participation(courseId: string) {
  const [students, polls, responses] = await Promise.all([
    db().enrollment.findMany({ where: { courseId, role: "STUDENT" }, include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { user: { name: "asc" } } }),
    db().poll.findMany({ where: { courseId }, include: { lecture: { select: { position: true, title: true } } }, orderBy: [{ lecture: { position: "asc" } }, { position: "asc" }] }),
    db().$queryRaw<{ pollId: string; userId: string; answer: unknown; value: number | null; score: number | null; maxScore: number | null; label: string | null; anonymous: boolean }[]>`
      SELECT r."pollId", r."userId", r.answer, r.value, r.score, r."maxScore", r.label, p.anonymous
      FROM "PollResponse" r JOIN "Poll" p ON p.id = r."pollId" AND p.round = r.round WHERE p."courseId" = ${courseId}::uuid`,
  ]);
  const byKey = new Map(responses.map((r) => [`${r.pollId}:${r.userId}`, r]));
  const columns = await Promise.all(polls.map(async (p) => ({ id: p.id, title: (await pollItem(p.itemSlug)).title, itemSlug: p.itemSlug, anonymous: p.anonymous, status: p.status })));
  return {
    polls: columns,
    students: students.map((s) => {
      const cells = polls.map((p) => byKey.get(`${p.id}:${s.userId}`) ?? null);
      return {
        userId: s.userId,
        name: s.user.name,
        email: s.user.email,
        answered: cells.filter(Boolean).length,
        score: cells.reduce((sum, c) => sum + (c?.score ?? 0), 0),
        cells: cells.map((c, i) => (c && !polls[i].anonymous ? { answer: describeAnswer(c.answer, c.value), label: c.label, score: c.score } : c ? { answer: "✓", label: null, score: null } : null)),
      };
    }),
  };
}

const csvField = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // Quote everything that needs it, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export async function participationCsv(courseId: string): Promise<string> {
  const { polls, students } = await participation(courseId);
  const header = ["name", "email", "answered", "score", ...polls.flatMap((p) => [`${p.itemSlug} answer`, `${p.itemSlug} score`])];
  const lines = students.map((s) => [s.name, s.email, s.answered, s.score, ...s.cells.flatMap((c) => [c?.answer ?? "", c?.score ?? ""])]);
  return [header, ...lines].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

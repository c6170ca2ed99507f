// Item analysis from stored rows: lib/analysis's pure statistics, fed with one poll's or one exercise's
// counted responses and each student's rest-of-gradebook score (their points earned in correctness and
// exercises, this item left out, over the points possible without it).
import { byVariant, checkPassRates, choiceDistribution, diagnosisDistribution, difficulty, pointBiserial, summary, upperLowerIndex } from "@/lib/analysis";
import { db } from "@/lib/db";
import { instructorKey, pollItem, renderedFor, scoreOptions, variantFor } from "@/lib/polls/items";
import { correctChoiceIds } from "@/lib/questions";
import type { CheckResult, Diagnosis } from "@/lib/submissions";
import type { Gradebook } from "./compute";
import { courseGradebook } from "./load";

type Discrimination = { pointBiserial: number | null; upperLower: number | null };

/** The rest score of each student for column `index`: earned / possible over correctness and exercises, minus the item. */
function restScores(book: Gradebook, index: number): Map<string, number> {
  const rest = new Map<string, number>();
  for (const r of book.rows) {
    const cell = r.cells[index];
    const inTotal = cell.score !== null;
    const earned = r.categories.correctness.earned + r.categories.exercises.earned - (inTotal ? (cell.score ?? 0) : 0);
    const possible = r.categories.correctness.possible + r.categories.exercises.possible - (inTotal ? cell.points : 0);
    if (possible > 0) rest.set(r.userId, earned / possible);
  }
  return rest;
}

function discrimination(credits: { userId: string; credit: number }[], rest: Map<string, number>): Discrimination {
  const pairs = credits.filter((c) => rest.has(c.userId));
  const x = pairs.map((p) => p.credit);
  const y = pairs.map((p) => rest.get(p.userId)!);
  return { pointBiserial: pointBiserial(x, y), upperLower: upperLowerIndex(x, y) };
}

export async function pollAnalysis(courseId: string, pollId: string) {
  const poll = await db().poll.findFirst({ where: { id: pollId, courseId } });
  if (!poll) return null;
  const book = await courseGradebook(courseId);
  const index = book.columns.findIndex((c) => c.id === pollId);
  const column = book.columns[index];
  const item = await pollItem(poll.itemSlug);
  const round = column?.round ?? poll.round;
  const anonymous = poll.anonymous;
  const rows = await db().pollResponse.findMany({
    where: { pollId, round },
    select: { userId: true, answer: true, score: true, maxScore: true, label: true, variantParams: true, anonymous: true, firstAnswerMs: true, earlierAnswers: true },
  });
  const scored = rows.filter((r) => r.score !== null && (r.maxScore ?? 0) > 0);
  const variant = variantFor(item, null);
  const correctIds = correctChoiceIds(item, variant, scoreOptions(instructorKey(poll.instructorAnswer)));
  // Each choice with its text as the students saw it (HTML with KaTeX), for the chart's labels.
  const choiceHtml = new Map((renderedFor(item, null).choices ?? []).map((c) => [c.id, c.html]));
  const choices =
    !poll.practice && "choices" in variant
      ? choiceDistribution(
          rows.map((r) => {
            const a = r.answer as { choice?: string; choices?: string[] };
            return a.choices ?? (a.choice ? [a.choice] : []);
          }),
          variant.choices,
          correctIds,
        ).map((c) => ({ ...c, html: choiceHtml.get(c.id) ?? "" }))
      : null;
  // Practice polls give everyone their own numbers: group by what the answer means (its label).
  const labels = new Map<string, number>();
  for (const r of rows) labels.set(r.label ?? "(not scored)", (labels.get(r.label ?? "(not scored)") ?? 0) + 1);
  // Anonymous answers are never tied to a student's other results, not even in aggregate.
  const named = anonymous ? [] : scored.filter((r) => !r.anonymous);
  return {
    poll,
    item: { title: item.title, kind: item.kind, points: item.points, pollNumber: item.poll ?? null },
    round,
    rounds: column?.rounds ?? poll.round,
    responses: rows.length,
    students: book.rows.length,
    scoring: column?.scoring ?? null,
    difficulty: difficulty(scored.map((r) => ({ score: r.score!, max: r.maxScore! }))),
    discrimination: anonymous ? null : discrimination(named.map((r) => ({ userId: r.userId, credit: r.score! / r.maxScore! })), restScores(book, index)),
    choices,
    labels: [...labels].map(([label, count]) => ({ label, count, share: rows.length ? count / rows.length : 0 })).sort((a, b) => b.count - a.count),
    variants: poll.practice ? byVariant(scored.map((r) => ({ params: (r.variantParams as Record<string, unknown> | null) ?? null, score: r.score!, max: r.maxScore! }))) : [],
    secondsToAnswer: summary(rows.flatMap((r) => (r.firstAnswerMs === null ? [] : [r.firstAnswerMs / 1000]))),
    changedTheirMind: rows.filter((r) => r.earlierAnswers !== null).length,
  };
}

export async function exerciseAnalysis(courseId: string, slug: string) {
  const exercise = await db().courseExercise.findUnique({ where: { courseId_slug: { courseId, slug } } });
  if (!exercise) return null;
  const book = await courseGradebook(courseId);
  const index = book.columns.findIndex((c) => c.id === exercise.id);
  if (index < 0) return null;
  const counted = book.rows.flatMap((r) => (r.cells[index].submissionId ? [{ userId: r.userId, submissionId: r.cells[index].submissionId!, cell: r.cells[index] }] : []));
  const [countedGrades, allGrades] = await Promise.all([
    latestResults(counted.map((c) => c.submissionId)),
    db().$queryRaw<{ userId: string; diagnosis: unknown }[]>`
      SELECT DISTINCT ON (s.id) s."userId", g.diagnosis FROM "Submission" s JOIN "GradeResult" g ON g."submissionId" = s.id
      WHERE s."courseExerciseId" = ${exercise.id}::uuid AND s.status = 'GRADED' ORDER BY s.id, g."createdAt" DESC`,
  ]);
  const column = book.columns[index];
  const ever = new Map<string, { id: string; title: string; students: Set<string> }>();
  for (const g of allGrades) {
    for (const d of (g.diagnosis as Diagnosis[]) ?? []) {
      let e = ever.get(d.id);
      if (!e) ever.set(d.id, (e = { id: d.id, title: d.title, students: new Set() }));
      e.students.add(g.userId);
    }
  }
  const graded = [...countedGrades.values()];
  return {
    exercise,
    title: column.title,
    points: column.points,
    students: book.rows.length,
    graded: counted.length,
    attempts: allGrades.length,
    difficulty: difficulty(counted.map((c) => ({ score: c.cell.computed ?? 0, max: c.cell.points }))),
    discrimination: discrimination(counted.map((c) => ({ userId: c.userId, credit: (c.cell.computed ?? 0) / c.cell.points })), restScores(book, index)),
    checks: checkPassRates(graded),
    diagnoses: diagnosisDistribution(graded),
    everDiagnosed: [...ever.values()].map((e) => ({ id: e.id, title: e.title, students: e.students.size })).sort((a, b) => b.students - a.students),
    scores: counted.map((c) => (c.cell.computed ?? 0) / c.cell.points),
  };
}

/** The latest grading's checks and diagnoses of each submission. */
export async function latestResults(submissionIds: string[]): Promise<Map<string, { checks: CheckResult[]; diagnosis: Diagnosis[] }>> {
  if (submissionIds.length === 0) return new Map();
  const rows = await db().$queryRaw<{ submissionId: string; checks: unknown; diagnosis: unknown }[]>`
    SELECT DISTINCT ON ("submissionId") "submissionId", checks, diagnosis FROM "GradeResult"
    WHERE "submissionId" = ANY(${submissionIds}::uuid[]) ORDER BY "submissionId", "createdAt" DESC`;
  return new Map(rows.map((r) => [r.submissionId, { checks: (r.checks as CheckResult[]) ?? [], diagnosis: (r.diagnosis as Diagnosis[]) ?? [] }]));
}

// The room's misconceptions, live: while an exercise is open in a lecture, how many students have submitted,
// how many pass each check and which mistakes are named most, from each student's latest graded attempt.
// The projector's version carries no names at all (not merely hidden by the page).
import { checkPassRates, diagnosisDistribution } from "@/lib/analysis";
import { renderFeedback } from "@/lib/content";
import { db } from "@/lib/db";
import type { CheckResult, Diagnosis } from "@/lib/submissions";

export type LiveExercise = {
  students: number;
  submitted: number;
  graded: number;
  grading: number;
  /** Titles as HTML (KaTeX): they hold math such as $\partial J/\partial W$. */
  checks: { id: string; titleHtml: string; passed: number; total: number }[];
  diagnoses: { id: string; titleHtml: string; count: number }[];
  /** Staff view only: who is where (latest attempt). */
  people?: { name: string; status: string; score: number | null; maxScore: number | null; diagnosesHtml: string[] }[];
};

const titleHtml = (title: string | undefined) => renderFeedback(title ?? "");

export async function liveExercise(courseId: string, courseExerciseId: string, { names }: { names: boolean }): Promise<LiveExercise> {
  const [students, latest] = await Promise.all([
    db().enrollment.count({ where: { courseId, role: "STUDENT" } }),
    db().$queryRaw<{ name: string; status: string; score: number | null; maxScore: number | null; checks: unknown; diagnosis: unknown; graded: boolean }[]>`
      WITH last AS (
        SELECT DISTINCT ON (s."userId") s.id, s."userId", s.status::text AS status FROM "Submission" s
        WHERE s."courseExerciseId" = ${courseExerciseId}::uuid AND s."userId" IS NOT NULL ORDER BY s."userId", s.attempt DESC),
      lastGraded AS (
        SELECT DISTINCT ON (s."userId") s."userId", g.score, g."maxScore", g.checks, g.diagnosis FROM "Submission" s
        JOIN "GradeResult" g ON g."submissionId" = s.id
        WHERE s."courseExerciseId" = ${courseExerciseId}::uuid AND s.status = 'GRADED' AND s."userId" IS NOT NULL
        ORDER BY s."userId", s.attempt DESC, g."createdAt" DESC)
      SELECT u.name, l.status, lg.score, lg."maxScore", lg.checks, lg.diagnosis, lg."userId" IS NOT NULL AS graded
      FROM last l JOIN "User" u ON u.id = l."userId" LEFT JOIN lastGraded lg ON lg."userId" = l."userId"
      ORDER BY u.name`,
  ]);
  const gradings = latest.filter((r) => r.graded).map((r) => ({ checks: (r.checks as CheckResult[]) ?? [], diagnosis: (r.diagnosis as Diagnosis[]) ?? [] }));
  return {
    students,
    submitted: latest.length,
    graded: gradings.length,
    grading: latest.filter((r) => r.status === "QUEUED" || r.status === "RUNNING").length,
    checks: checkPassRates(gradings).map(({ id, title, passed, total }) => ({ id, titleHtml: titleHtml(title), passed, total })),
    diagnoses: diagnosisDistribution(gradings)
      .slice(0, 6)
      .map(({ id, title, count }) => ({ id, titleHtml: titleHtml(title), count })),
    ...(names && {
      people: latest.map((r) => ({ name: r.name, status: r.status, score: r.score, maxScore: r.maxScore, diagnosesHtml: ((r.diagnosis as Diagnosis[]) ?? []).map((d) => titleHtml(d.title)) })),
    }),
  };
}

// Reads what the gradebook is computed from: a handful of set-based queries per course, whatever its size.
import { getItem, type Item } from "@/lib/content";
import { db } from "@/lib/db";
import { findPollItem, instructorKey, scoreOptions, variantFor } from "@/lib/polls/items";
import { correctChoiceIds } from "@/lib/questions";
import { buildGradebook, type GradebookInput, type PollScoring } from "./compute";
import { gradeSettingsOf } from "./settings";

/** How a poll enters the gradebook, from its item and its live key. */
export function pollScoring(item: Item, poll: { practice: boolean; instructorAnswer: unknown }): PollScoring {
  if (poll.practice) return "practice";
  const key = instructorKey(poll.instructorAnswer);
  if (item.mode === "opinion" || key.state === "opinion") return "opinion";
  if (item.kind === "single-choice" || item.kind === "multi-select") {
    return correctChoiceIds(item, variantFor(item, null), scoreOptions(key)) === null ? "pending" : "graded";
  }
  return "graded";
}

export const pollShortTitle = (item: Item, position: number) => (item.poll ? `Poll ${item.poll}` : `Q${position + 1}`);

/** Everything for the course, or for one student of it (`only`). */
export async function loadGradebookInput(courseId: string, { now = new Date(), only }: { now?: Date; only?: string } = {}): Promise<GradebookInput> {
  const one = only ?? null;
  const [course, students, lectures, polls, responses, exercises, attempts, extensions, overrides] = await Promise.all([
    db().course.findUniqueOrThrow({ where: { id: courseId }, select: { gradeSettings: true } }),
    db().$queryRaw<{ userId: string; name: string; email: string; lmsId: string | null }[]>`
      SELECT u.id AS "userId", u.name, u.email, e."lmsId" FROM "Enrollment" e JOIN "User" u ON u.id = e."userId"
      WHERE e."courseId" = ${courseId}::uuid AND e.role = 'STUDENT' AND (${one}::uuid IS NULL OR e."userId" = ${one}::uuid)
      ORDER BY u.name, u.email`,
    db().lecture.findMany({ where: { courseId }, orderBy: { position: "asc" }, select: { id: true, title: true } }),
    db().$queryRaw<{ id: string; lectureId: string; itemSlug: string; position: number; anonymous: boolean; practice: boolean; instructorAnswer: unknown; status: string; round: number; countedRound: number | null; latest: number | null }[]>`
      SELECT p.id, p."lectureId", p."itemSlug", p.position, p.anonymous, p.practice, p."instructorAnswer", p.status::text, p.round, p."countedRound",
             (SELECT max(r.round) FROM "PollResponse" r WHERE r."pollId" = p.id) AS latest
      FROM "Poll" p JOIN "Lecture" l ON l.id = p."lectureId"
      WHERE p."courseId" = ${courseId}::uuid ORDER BY l.position, p.position`,
    // The counted round of each poll is found once per poll (not once per response row), then joined.
    db().$queryRaw<GradebookInput["responses"]>`
      WITH counted AS (
        SELECT p.id, coalesce(p."countedRound", (SELECT max(x.round) FROM "PollResponse" x WHERE x."pollId" = p.id)) AS round
        FROM "Poll" p WHERE p."courseId" = ${courseId}::uuid)
      SELECT r."pollId", r."userId", r.score, r."maxScore", r.label, r.anonymous
      FROM counted c JOIN "PollResponse" r ON r."pollId" = c.id AND r.round = c.round
      WHERE ${one}::uuid IS NULL OR r."userId" = ${one}::uuid`,
    db().courseExercise.findMany({ where: { courseId }, orderBy: { position: "asc" } }),
    latestGrades(courseId, only),
    db().deadlineExtension.findMany({ where: { courseExercise: { courseId }, ...(only && { userId: only }) }, select: { courseExerciseId: true, userId: true, dueAt: true } }),
    db().$queryRaw<GradebookInput["overrides"]>`
      SELECT DISTINCT ON (o."itemKey", o."userId") o."itemKey", o."userId", o.score, o.comment, o."createdAt" AS at, u.name AS by
      FROM "ScoreOverride" o JOIN "User" u ON u.id = o."createdById"
      WHERE o."courseId" = ${courseId}::uuid AND (${one}::uuid IS NULL OR o."userId" = ${one}::uuid) ORDER BY o."itemKey", o."userId", o."createdAt" DESC`,
  ]);

  const pollRows = [];
  for (const p of polls) {
    const item = await findPollItem(p.itemSlug);
    if (!item) continue; // content removed: nothing to show it as
    pollRows.push({
      id: p.id,
      lectureId: p.lectureId,
      title: item.title,
      shortTitle: pollShortTitle(item, p.position),
      points: item.points,
      anonymous: p.anonymous,
      scoring: pollScoring(item, p),
      given: p.status !== "DRAFT" || p.latest !== null,
      revealed: p.status === "REVEALED",
      round: p.countedRound ?? p.latest ?? p.round,
      roundChosen: p.countedRound !== null,
      rounds: p.latest ?? 0,
    });
  }
  const exerciseRows = [];
  for (const e of exercises) {
    const item = await getItem(e.slug);
    if (!item || item.kind !== "code") continue;
    exerciseRows.push({ id: e.id, slug: e.slug, title: item.title, points: item.points, dueAt: e.dueAt, scoreRule: e.scoreRule, latePenaltyPercentPerDay: e.latePenaltyPercentPerDay });
  }
  return { settings: gradeSettingsOf(course.gradeSettings), now, students, lectures, polls: pollRows, responses, exercises: exerciseRows, attempts, extensions, overrides };
}

/** The latest grading of every graded attempt in the course (optionally of one student). */
function latestGrades(courseId: string, userId?: string) {
  return db().$queryRaw<GradebookInput["attempts"]>`
    SELECT DISTINCT ON (s.id) s."courseExerciseId", s."userId", s.id AS "submissionId", s.attempt, s."createdAt" AS "submittedAt", g.score, g."maxScore"
    FROM "Submission" s JOIN "GradeResult" g ON g."submissionId" = s.id
    -- Through the course's exercises: Submission is indexed by (exercise, student), not by course.
    WHERE s."courseExerciseId" IN (SELECT x.id FROM "CourseExercise" x WHERE x."courseId" = ${courseId}::uuid)
      AND s.status = 'GRADED' AND s."userId" IS NOT NULL
      AND (${userId ?? null}::uuid IS NULL OR s."userId" = ${userId ?? null}::uuid)
    ORDER BY s.id, g."createdAt" DESC`;
}

export async function courseGradebook(courseId: string, options: { now?: Date; only?: string } = {}) {
  return buildGradebook(await loadGradebookInput(courseId, options));
}

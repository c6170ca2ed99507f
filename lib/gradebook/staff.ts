// What staff change in the gradebook: overrides (added, never overwritten), deadline extensions, the round of a
// reset poll that counts, the category weights, and a student's LMS id. Each input is validated here (zod) and
// each refusal is a GradebookError with a code (lib/errors.ts).
import { z } from "zod";
import { db } from "@/lib/db";
import { getItem } from "@/lib/content";
import { findPollItem } from "@/lib/polls/items";
import { LecternError, parseInput } from "@/lib/errors";
import { deadlineSchema } from "@/lib/submissions";
import { idSchema, isId, lineText, multilineText } from "@/lib/validation";
import { gradeSettingsSchema } from "./settings";

/** A refusal about a gradebook change. */
export class GradebookError extends LecternError {
  override name = "GradebookError";
}

async function studentOf(courseId: string, userId: string) {
  if (!isId(userId) || !isId(courseId)) throw new GradebookError("not-found", "No such student in this course.", { field: "userId" });
  const e = await db().enrollment.findUnique({ where: { courseId_userId: { courseId, userId } }, select: { role: true } });
  if (!e || e.role !== "STUDENT") throw new GradebookError("not-found", "No such student in this course.", { field: "userId" });
}

// Staff write it and the student reads it: any text PostgreSQL can store, within reason.
const comment = (required: boolean) =>
  multilineText("the comment")
    .transform((s) => s.trim())
    .pipe(z.string().min(required ? 1 : 0, "Say why (the student sees this comment).").max(1000, "Keep the comment under 1,000 characters."));

export const overrideRequestSchema = z.object({
  userId: z.string(),
  // "poll:<id>" or "exercise:<id>", as the gradebook's columns name them.
  itemKey: z
    .string()
    .refine((k) => /^(poll|exercise):/.test(k) && isId(k.slice(k.indexOf(":") + 1)), "Choose the item to override.")
    .transform((k) => k.toLowerCase()),
  // "" lifts the override.
  score: z.preprocess((v) => (v === "" || v === null || v === undefined ? null : v), z.coerce.number({ error: "The score is a number." }).min(0, "A score cannot be negative.").nullable()),
  comment: comment(true),
});

/** The points an item is worth, or a not-found refusal when it is not the course's. */
async function itemPoints(courseId: string, itemKey: string): Promise<number> {
  const [kind, id] = itemKey.split(":");
  const slug =
    kind === "poll"
      ? (await db().poll.findFirst({ where: { id, courseId }, select: { itemSlug: true } }))?.itemSlug
      : (await db().courseExercise.findFirst({ where: { id, courseId }, select: { slug: true } }))?.slug;
  const item = slug ? await (kind === "poll" ? findPollItem(slug) : getItem(slug)) : null;
  if (!item) throw new GradebookError("not-found", "This item is not part of the course.", { field: "itemKey" });
  return item.points;
}

export async function addOverride(courseId: string, staffId: string, input: unknown) {
  const { userId, itemKey, score, comment } = parseInput(overrideRequestSchema, input, GradebookError);
  await studentOf(courseId, userId);
  const points = await itemPoints(courseId, itemKey);
  if (score !== null && score > points) throw new GradebookError("invalid", `This item is worth ${points} point${points === 1 ? "" : "s"}: the score can be at most that.`, { field: "score" });
  return db().scoreOverride.create({ data: { courseId, userId, itemKey, score, comment, createdById: staffId } });
}

/** Every override of one student, newest first, with who set it. */
export async function overrideHistory(courseId: string, userId: string) {
  const rows = await db().scoreOverride.findMany({ where: { courseId, userId }, orderBy: { createdAt: "desc" } });
  const staff = await db().user.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.createdById))] } }, select: { id: true, name: true } });
  const names = new Map(staff.map((s) => [s.id, s.name]));
  return rows.map((r) => ({ id: r.id, itemKey: r.itemKey, score: r.score, comment: r.comment, at: r.createdAt.toISOString(), by: names.get(r.createdById) ?? "?" }));
}

export const extensionRequestSchema = z.object({
  userId: z.string(),
  courseExerciseId: idSchema,
  // "" removes the extension.
  dueAt: deadlineSchema,
  comment: comment(false).default(""),
});

export async function setExtension(courseId: string, staffId: string, input: unknown) {
  const { userId, courseExerciseId, dueAt, comment } = parseInput(extensionRequestSchema, input, GradebookError);
  await studentOf(courseId, userId);
  const exercise = await db().courseExercise.findFirst({ where: { id: courseExerciseId, courseId }, select: { id: true } });
  if (!exercise) throw new GradebookError("not-found", "This exercise is not part of the course.", { field: "courseExerciseId" });
  const where = { courseExerciseId_userId: { courseExerciseId, userId } };
  if (dueAt === null) {
    await db().deadlineExtension.deleteMany({ where: { courseExerciseId, userId } });
    return null;
  }
  return db().deadlineExtension.upsert({ where, update: { dueAt, comment, createdById: staffId }, create: { courseExerciseId, userId, dueAt, comment, createdById: staffId } });
}

export const countedRoundSchema = z.object({
  pollId: idSchema,
  // "" = the latest round with answers.
  round: z.preprocess((v) => (v === "" || v === null || v === undefined ? null : v), z.coerce.number({ error: "The round is a whole number." }).int("The round is a whole number.").min(1, "Rounds start at 1.").nullable()),
});

export async function setCountedRound(courseId: string, input: unknown) {
  const { pollId, round } = parseInput(countedRoundSchema, input, GradebookError);
  const poll = await db().poll.findFirst({ where: { id: pollId, courseId }, select: { round: true } });
  if (!poll) throw new GradebookError("not-found", "This poll is not part of the course.", { field: "pollId" });
  if (round !== null && round > poll.round) throw new GradebookError("invalid", `This poll has had ${poll.round} round${poll.round === 1 ? "" : "s"}.`, { field: "round" });
  await db().poll.update({ where: { id: pollId }, data: { countedRound: round } });
}

export async function saveGradeSettings(courseId: string, input: unknown) {
  const settings = parseInput(gradeSettingsSchema, input, GradebookError);
  await db().course.update({ where: { id: courseId }, data: { gradeSettings: settings } });
  return settings;
}

export const lmsIdSchema = z.object({
  userId: z.string(),
  lmsId: lineText("the LMS id")
    .transform((s) => s.trim())
    .pipe(z.string().max(100, "An LMS id of at most 100 characters.").regex(/^[^,]*$/, "An LMS id has no commas.")),
});

export async function setLmsId(courseId: string, input: unknown) {
  const { userId, lmsId } = parseInput(lmsIdSchema, input, GradebookError);
  await studentOf(courseId, userId);
  await db().enrollment.update({ where: { courseId_userId: { courseId, userId } }, data: { lmsId: lmsId || null } });
}

// What staff change in the gradebook: overrides (added, never overwritten), deadline extensions, the round of a
// reset poll that counts, the category weights, and a student's LMS id. Each input is validated here (zod) and
// each refusal is a GradebookError with a code.
import { z } from "zod";
import { db } from "@/lib/db";
import { getItem } from "@/lib/content";
import { gradeSettingsSchema } from "./settings";

export class GradebookError extends Error {
  constructor(
    message: string,
    readonly code: "invalid" | "not-found",
    readonly status: 400 | 404 = code === "invalid" ? 400 : 404,
  ) {
    super(message);
    this.name = "GradebookError";
  }
}

const uuid = z.uuid();
const first = (e: z.ZodError) => new GradebookError(e.issues[0].message, "invalid");

async function studentOf(courseId: string, userId: string) {
  if (!uuid.safeParse(userId).success || !uuid.safeParse(courseId).success) throw new GradebookError("No such student in this course.", "not-found");
  const e = await db().enrollment.findUnique({ where: { courseId_userId: { courseId, userId } }, select: { role: true } });
  if (!e || e.role !== "STUDENT") throw new GradebookError("No such student in this course.", "not-found");
}

export const overrideRequestSchema = z.object({
  userId: z.string(),
  itemKey: z.string().regex(/^(poll|exercise):[0-9a-f-]{36}$/i, "Choose the item to override."),
  // "" lifts the override.
  score: z.preprocess((v) => (v === "" || v === null || v === undefined ? null : v), z.coerce.number({ error: "The score is a number." }).min(0, "A score cannot be negative.").nullable()),
  comment: z.string().trim().min(1, "Say why (the student sees this comment).").max(1000, "Keep the comment under 1,000 characters."),
});

/** The points an item is worth, or a not-found refusal when it is not the course's. */
async function itemPoints(courseId: string, itemKey: string): Promise<number> {
  const [kind, id] = itemKey.split(":");
  const slug =
    kind === "poll"
      ? (await db().poll.findFirst({ where: { id, courseId }, select: { itemSlug: true } }))?.itemSlug
      : (await db().courseExercise.findFirst({ where: { id, courseId }, select: { slug: true } }))?.slug;
  const item = slug ? await getItem(slug) : null;
  if (!item) throw new GradebookError("This item is not part of the course.", "not-found");
  return item.points;
}

export async function addOverride(courseId: string, staffId: string, input: unknown) {
  const parsed = overrideRequestSchema.safeParse(input);
  if (!parsed.success) throw first(parsed.error);
  const { userId, itemKey, score, comment } = parsed.data;
  await studentOf(courseId, userId);
  const points = await itemPoints(courseId, itemKey.toLowerCase());
  if (score !== null && score > points) throw new GradebookError(`This item is worth ${points} point${points === 1 ? "" : "s"}: the score can be at most that.`, "invalid");
  return db().scoreOverride.create({ data: { courseId, userId, itemKey: itemKey.toLowerCase(), score, comment, createdById: staffId } });
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
  courseExerciseId: z.uuid({ error: "Choose the exercise." }),
  // An ISO date-time; "" removes the extension.
  dueAt: z.preprocess((v) => (v === "" || v === null || v === undefined ? null : v), z.coerce.date({ error: "Enter the new deadline as a date and time." }).nullable()),
  comment: z.string().trim().max(1000, "Keep the comment under 1,000 characters.").default(""),
});

export async function setExtension(courseId: string, staffId: string, input: unknown) {
  const parsed = extensionRequestSchema.safeParse(input);
  if (!parsed.success) throw first(parsed.error);
  const { userId, courseExerciseId, dueAt, comment } = parsed.data;
  await studentOf(courseId, userId);
  const exercise = await db().courseExercise.findFirst({ where: { id: courseExerciseId, courseId }, select: { id: true } });
  if (!exercise) throw new GradebookError("This exercise is not part of the course.", "not-found");
  const where = { courseExerciseId_userId: { courseExerciseId, userId } };
  if (dueAt === null) {
    await db().deadlineExtension.deleteMany({ where: { courseExerciseId, userId } });
    return null;
  }
  return db().deadlineExtension.upsert({ where, update: { dueAt, comment, createdById: staffId }, create: { courseExerciseId, userId, dueAt, comment, createdById: staffId } });
}

export const countedRoundSchema = z.object({
  pollId: z.uuid({ error: "Choose the poll." }),
  // "" = the latest round with answers.
  round: z.preprocess((v) => (v === "" || v === null || v === undefined ? null : v), z.coerce.number().int().min(1, "Rounds start at 1.").nullable()),
});

export async function setCountedRound(courseId: string, input: unknown) {
  const parsed = countedRoundSchema.safeParse(input);
  if (!parsed.success) throw first(parsed.error);
  const { pollId, round } = parsed.data;
  const poll = await db().poll.findFirst({ where: { id: pollId, courseId }, select: { round: true } });
  if (!poll) throw new GradebookError("This poll is not part of the course.", "not-found");
  if (round !== null && round > poll.round) throw new GradebookError(`This poll has had ${poll.round} round${poll.round === 1 ? "" : "s"}.`, "invalid");
  await db().poll.update({ where: { id: pollId }, data: { countedRound: round } });
}

export async function saveGradeSettings(courseId: string, input: unknown) {
  const parsed = gradeSettingsSchema.safeParse(input);
  if (!parsed.success) throw first(parsed.error);
  await db().course.update({ where: { id: courseId }, data: { gradeSettings: parsed.data } });
  return parsed.data;
}

export const lmsIdSchema = z.object({
  userId: z.string(),
  lmsId: z.string().trim().max(100, "An LMS id of at most 100 characters.").regex(/^[^\r\n,]*$/, "An LMS id has no commas or line breaks."),
});

export async function setLmsId(courseId: string, input: unknown) {
  const parsed = lmsIdSchema.safeParse(input);
  if (!parsed.success) throw first(parsed.error);
  await studentOf(courseId, parsed.data.userId);
  await db().enrollment.update({ where: { courseId_userId: { courseId, userId: parsed.data.userId } }, data: { lmsId: parsed.data.lmsId || null } });
}

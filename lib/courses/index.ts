// Courses, join codes and enrollments (roles per course: STUDENT, TA, INSTRUCTOR).
import { randomInt } from "node:crypto";
import { z } from "zod";
import type { Client } from "@/lib/auth/accounts";
import { announceAccessChange } from "@/lib/auth/revocation";
import { recordAttempt, RULES, throttleWait } from "@/lib/auth/throttle";
import { waitWords } from "@/lib/auth/wait";
import { db, Prisma } from "@/lib/db";
import type { CourseRole } from "@/generated/prisma/enums";
import { isId, lineText } from "@/lib/validation";
import { syncLecturePolls } from "@/lib/polls";
import { syncCourseExercises } from "@/lib/submissions";

// No 0/O, 1/I/L: codes are read off a projector and typed on phones.
const JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const JOIN_CODE_LENGTH = 6;

export function newJoinCode(): string {
  return Array.from({ length: JOIN_CODE_LENGTH }, () => JOIN_ALPHABET[randomInt(JOIN_ALPHABET.length)]).join("");
}

export const courseTitleSchema = lineText("the course title")
  .trim()
  .min(3, "Course titles need at least 3 characters.")
  .max(120, "Course titles can be at most 120 characters.");

export const joinCodeSchema = z
  .string({ error: "Enter the join code." })
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ""))
  .pipe(
    z
      .string()
      .min(1, "Enter the join code.")
      .max(16, "Join codes are 6 characters, like K7PQ2M.")
      .regex(/^[A-Z0-9]+$/, "Join codes have only letters and digits, like K7PQ2M."),
  );

export const roleSchema = z.enum(["STUDENT", "TA", "INSTRUCTOR"]);

type Failure = { ok: false; error: string };

export async function createCourse(userId: string, input: { title: unknown }, joinCode?: string) {
  const title = courseTitleSchema.safeParse(input.title);
  if (!title.success) return { ok: false, error: title.error.issues[0].message } satisfies Failure;
  // A clash of random codes is rare (31^6 ≈ 887 million); retry a few times on the unique index.
  for (let tries = 0; tries < 5; tries++) {
    try {
      const course = await db().$transaction(async (tx) => {
        const created = await tx.course.create({ data: { title: title.data, joinCode: joinCode ?? newJoinCode(), createdById: userId } });
        await tx.enrollment.create({ data: { courseId: created.id, userId, role: "INSTRUCTOR" } });
        // A new course starts with the lectures and polls of the course content.
        await syncLecturePolls(tx, created.id);
        await syncCourseExercises(tx, created.id);
        return created;
      });
      return { ok: true as const, course };
    } catch (e) {
      if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") || joinCode) throw e;
    }
  }
  throw new Error("could not find a free join code");
}

/** Joins with a code. Wrong codes are counted per client and per account, with back-off: codes cannot be guessed. */
export async function joinCourse(userId: string, input: { code: unknown }, client: Pick<Client, "address">) {
  const code = joinCodeSchema.safeParse(input.code);
  if (!code.success) return { ok: false, error: code.error.issues[0].message } satisfies Failure;
  const keys = [
    { key: `join:client:${client.address}`, rule: RULES.joinClient },
    { key: `join:account:${userId}`, rule: RULES.joinAccount },
  ];
  const wait = await throttleWait(keys.map((k) => k.key));
  if (wait > 0) return { ok: false, error: `Too many wrong join codes. Try again in ${waitWords(wait)}.` } satisfies Failure;
  const course = await db().course.findUnique({ where: { joinCode: code.data }, select: { id: true, title: true } });
  if (!course) {
    await Promise.all(keys.map(({ key, rule }) => recordAttempt(key, rule)));
    return { ok: false, error: `No course has the join code ${code.data}. Check it with your instructor.` } satisfies Failure;
  }
  const { count } = await db().enrollment.createMany({ data: [{ courseId: course.id, userId, role: "STUDENT" }], skipDuplicates: true });
  if (count === 0) return { ok: false as const, error: `You are already enrolled in ${course.title}.`, courseId: course.id };
  return { ok: true as const, course };
}

export async function myCourses(userId: string) {
  const rows = await db().enrollment.findMany({
    where: { userId },
    include: { course: { select: { id: true, title: true, joinCode: true, _count: { select: { enrollments: true } } } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((e) => ({ id: e.course.id, title: e.course.title, role: e.role, joinCode: e.course.joinCode, members: e.course._count.enrollments }));
}

export async function roster(courseId: string) {
  return db().enrollment.findMany({
    where: { courseId },
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: [{ role: "desc" }, { user: { name: "asc" } }],
  });
}

/**
 * Instructors change roles; the last instructor cannot step down, or the course would be orphaned. The person's
 * open live streams end at once (lib/auth/revocation.ts), and reconnect under the new role.
 */
export async function setRole(courseId: string, userId: unknown, role: unknown) {
  const parsed = roleSchema.safeParse(role);
  if (!parsed.success) return { ok: false, error: "Choose STUDENT, TA or INSTRUCTOR." } satisfies Failure;
  if (!isId(userId)) return { ok: false, error: "That person is not in this course." } satisfies Failure;
  return db().$transaction(async (tx) => {
    const current = await tx.enrollment.findUnique({ where: { courseId_userId: { courseId, userId } } });
    if (!current) return { ok: false, error: "That person is not in this course." } satisfies Failure;
    if (current.role === "INSTRUCTOR" && parsed.data !== "INSTRUCTOR") {
      const instructors = await tx.enrollment.count({ where: { courseId, role: "INSTRUCTOR" } });
      if (instructors <= 1) return { ok: false, error: "A course needs at least one instructor." } satisfies Failure;
    }
    await tx.enrollment.update({ where: { id: current.id }, data: { role: parsed.data as CourseRole } });
    await announceAccessChange(tx, userId, courseId);
    return { ok: true as const };
  });
}

export async function regenerateJoinCode(courseId: string) {
  return db().course.update({ where: { id: courseId }, data: { joinCode: newJoinCode() }, select: { joinCode: true } });
}

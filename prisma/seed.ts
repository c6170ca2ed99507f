// The demo course on the neural-networks lecture: an instructor, a TA and students, all with one password.
// Idempotent: safe to run on every start, it only adds what is missing.
import type { PrismaClient } from "@/generated/prisma/client";
import { hashPassword } from "@/lib/auth/password";
import { createPrisma } from "@/lib/db";
import { syncLecturePolls } from "@/lib/polls";
import { syncCourseExercises } from "@/lib/submissions";

export const DEMO_PASSWORD = "backprop-demo";
export const DEMO_JOIN_CODE = "NEURON";
export const DEMO_COURSE_TITLE = "Neural Networks — from one neuron to backprop";
export const DEMO_ACCOUNTS = [
  { email: "ada@lectern.test", name: "Ada Lovelace", role: "INSTRUCTOR" },
  { email: "alan@lectern.test", name: "Alan Turing", role: "TA" },
  { email: "grace@lectern.test", name: "Grace Hopper", role: "STUDENT" },
  { email: "katherine@lectern.test", name: "Katherine Johnson", role: "STUDENT" },
  { email: "claude@lectern.test", name: "Claude Shannon", role: "STUDENT" },
  { email: "emmy@lectern.test", name: "Emmy Noether", role: "STUDENT" },
] as const;

export async function seedDemoCourse(prisma: PrismaClient) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await prisma.$transaction(async (tx) => {
    const users: { id: string }[] = [];
    for (const account of DEMO_ACCOUNTS) {
      users.push(
        await tx.user.upsert({
          where: { email: account.email },
          update: {},
          create: { email: account.email, name: account.name, passwordHash },
        }),
      );
    }
    const course =
      (await tx.course.findUnique({ where: { joinCode: DEMO_JOIN_CODE } })) ??
      (await tx.course.create({ data: { title: DEMO_COURSE_TITLE, joinCode: DEMO_JOIN_CODE, createdById: users[0].id } }));
    await tx.enrollment.createMany({
      data: DEMO_ACCOUNTS.map((a, i) => ({ courseId: course.id, userId: users[i].id, role: a.role })),
      skipDuplicates: true,
    });
    await syncLecturePolls(tx, course.id);
    await syncCourseExercises(tx, course.id);
  });
}

if (import.meta.main) {
  const prisma = createPrisma();
  await seedDemoCourse(prisma);
  await prisma.$disconnect();
  console.log("Seeded the demo course.");
}

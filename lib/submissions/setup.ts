// Every course gets the code exercises of the course content, in the order of the lectures.
import { listItems } from "@/lib/content";
import { db, type Tx } from "@/lib/db";

/** Idempotent: adds missing exercises and leaves existing ones (policies, submissions) alone. */
export async function syncCourseExercises(tx: Tx, courseId: string) {
  const items = await listItems({ kind: "code" });
  if (items.length === 0) return;
  await tx.courseExercise.createMany({
    data: items.map((item, i) => ({ courseId, slug: item.slug, position: i + 1 })),
    skipDuplicates: true,
  });
}

/** At server start: exercises added to the content since a course was created join every course. */
export async function syncAllCourseExercises() {
  const courses = await db().course.findMany({ select: { id: true } });
  for (const course of courses) await syncCourseExercises(db(), course.id);
}


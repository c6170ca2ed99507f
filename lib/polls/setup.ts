// A course's lectures get one poll row per poll question in exercises/, in the order of the slides.
import { listItems, loadCourseContent } from "@/lib/content";
import type { Tx } from "@/lib/db";

/** Idempotent: adds lectures and polls that are missing, leaves existing ones (and their answers) alone. */
export async function syncLecturePolls(tx: Tx, courseId: string) {
  const content = await loadCourseContent();
  for (const lecture of content.lectures) {
    const row = await tx.lecture.upsert({
      where: { courseId_slug: { courseId, slug: lecture.id } },
      update: {},
      create: { courseId, slug: lecture.id, title: lecture.title, position: lecture.order },
    });
    const pollItems = (await listItems({ lecture: lecture.id, use: "poll" })).sort((a, b) => (a.poll ?? 99) - (b.poll ?? 99) || a.order - b.order);
    await tx.poll.createMany({
      data: pollItems.map((item, i) => ({ courseId, lectureId: row.id, itemSlug: item.slug, position: i + 1 })),
      skipDuplicates: true,
    });
  }
}

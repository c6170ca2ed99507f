import { redirect } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";

// Old links: the poll answers are the course's Polls history now (one page, the one phones link to).
export default async function OldPollHistory({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  redirect(`/courses/${access.course.id}/polls`);
}

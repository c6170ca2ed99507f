import { redirect } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";

// The poll-only results table became the gradebook (polls and exercises, scores as stored, anonymous polls
// kept out of every named total). Old links still work — for staff: anyone else gets this page's own 404.
export default async function CourseResults({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  redirect(`/courses/${access.course.id}/gradebook`);
}

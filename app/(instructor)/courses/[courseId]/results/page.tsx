import { redirect } from "next/navigation";

// The poll-only results table became the gradebook (polls and exercises, scores as stored, anonymous polls
// kept out of every named total).
export default async function CourseResults({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  redirect(`/courses/${courseId}/gradebook`);
}

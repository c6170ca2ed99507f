import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { liveExercise } from "@/lib/gradebook";
import { codeItem, courseExercise, SubmissionError } from "@/lib/submissions";
import { LiveExercise } from "./LiveExercise";

export const metadata: Metadata = { title: "Live exercise" };
export const dynamic = "force-dynamic";

export default async function LiveExercisePage({ params, searchParams }: { params: Promise<{ courseId: string; slug: string }>; searchParams: Promise<{ projector?: string }> }) {
  const { courseId, slug } = await params;
  const projector = (await searchParams).projector === "1";
  const access = await requireCourseRole(courseId, "TA");
  let exercise, item;
  try {
    [exercise, item] = await Promise.all([courseExercise(courseId, slug), codeItem(slug)]);
  } catch (e) {
    if (e instanceof SubmissionError) notFound();
    throw e;
  }
  const initial = await liveExercise(courseId, exercise.id, { names: !projector });
  const url = `/api/courses/${courseId}/exercises/${slug}/live${projector ? "?projector=1" : ""}`;
  return (
    // The projector gets the wall's whole width, in type read from the back row.
    <main className={projector ? "exercise-wall" : "page"}>
      {!projector && (
        <p className="small muted">
          <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/exercises/${slug}/submissions`}>Submissions</Link> ·{" "}
          <Link href={`?projector=1`} data-testid="projector-link">
            Projector mode (no names)
          </Link>
        </p>
      )}
      <h1>{item.title}</h1>
      <LiveExercise url={url} initial={initial} projector={projector} />
    </main>
  );
}

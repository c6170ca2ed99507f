import { readFile } from "node:fs/promises";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { npDeclarationsPath } from "@/lib/sandbox";
import { exerciseWorkspace, submissionState, SubmissionError } from "@/lib/submissions";
import { Workspace } from "./Workspace";
import "@/app/_components/editor/exercise.css";

export const dynamic = "force-dynamic";

let declarations: Promise<string> | undefined;
const npDeclarations = () => (declarations ??= readFile(npDeclarationsPath(), "utf8"));

export default async function ExercisePage({ params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const access = await requireCourseRole(courseId);
  const workspace = await exerciseWorkspace(access.user.id, courseId, slug).catch((e) => {
    if (e instanceof SubmissionError && e.code === "not-found") notFound();
    throw e;
  });
  // The feedback of the newest attempt stays on the page after a reload (a running one is followed live).
  const newest = workspace.attempts[0];
  const latest = !workspace.active && newest ? await submissionState(courseId, newest.id, access.user.id) : null;
  return (
    <main className="page exercise-page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/exercises`}>Exercises</Link>
        {access.isStaff && (
          <>
            {" "}
            · <Link href={`/courses/${courseId}/exercises/${slug}/submissions`}>Submissions (staff)</Link>
          </>
        )}
      </p>
      <Workspace courseId={courseId} workspace={workspace} declarations={await npDeclarations()} latest={latest} />
    </main>
  );
}

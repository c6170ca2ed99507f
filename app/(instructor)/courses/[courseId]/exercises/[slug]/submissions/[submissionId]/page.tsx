import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { staffSubmission, SubmissionError } from "@/lib/submissions";
import { Feedback } from "@/app/_components/editor/Feedback";
import { LocalTime } from "@/app/_components/LocalTime";
import "@/app/_components/editor/exercise.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Submission" };

export default async function SubmissionPage({ params }: { params: Promise<{ courseId: string; slug: string; submissionId: string }> }) {
  const { courseId, slug, submissionId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const view = await staffSubmission(courseId, slug, submissionId).catch((e) => {
    if (e instanceof SubmissionError && e.code === "not-found") notFound();
    throw e;
  });
  const base = `/courses/${courseId}/exercises/${slug}/submissions`;
  return (
    <main className="page wide">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={base}>All submissions</Link>
      </p>
      <h1>
        {view.student?.name ?? "Unknown student"} — attempt {view.state.attempt}
      </h1>
      <p className="small muted">
        Submitted <LocalTime iso={view.state.createdAt} />
        {view.state.finishedAt && <> · graded <LocalTime iso={view.state.finishedAt} /></>}
      </p>
      <div className="exercise-layout">
        <section className="card">
          <h2>Code</h2>
          <pre className="code-view" data-testid="submission-code">
            {view.code}
          </pre>
        </section>
        <section className="card">
          <h2>Feedback</h2>
          <Feedback state={view.state} />
        </section>
      </div>
      {view.attempts.length > 1 && (
        <section className="card">
          <h2>All attempts by {view.student?.name}</h2>
          <ul className="plain-list">
            {view.attempts.map((a) => (
              <li key={a.id}>
                <Link href={`${base}/${a.id}`}>Attempt {a.attempt}</Link> · <LocalTime iso={a.createdAt} /> · {a.score !== null ? `${a.score} / ${a.maxScore}` : a.status.toLowerCase()}
                {a.late && <span className="badge late"> late</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

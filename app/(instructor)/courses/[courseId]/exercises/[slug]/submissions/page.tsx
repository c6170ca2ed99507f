import Link from "next/link";
import { CountedScore } from "@/app/_components/CountedScore";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { codeItem, regradeProgress, SCORE_RULES, staffExerciseTable, SubmissionError } from "@/lib/submissions";
import { DueDate } from "@/app/_components/editor/Feedback";
import { LocalTime } from "@/app/_components/LocalTime";
import { savePolicies } from "./actions";
import { PolicyForm } from "./PolicyForm";
import { RegradeAll } from "./RegradeAll";
import "@/app/_components/editor/exercise.css";

export const dynamic = "force-dynamic";
export const metadata = { title: "Submissions" };

export default async function SubmissionsPage({ params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const data = await Promise.all([staffExerciseTable(courseId, slug), codeItem(slug), regradeProgress(courseId, slug)]).catch((e) => {
    if (e instanceof SubmissionError && e.code === "not-found") notFound();
    throw e;
  });
  const [{ policies, students }, item, progress] = data;
  const isInstructor = access.role === "INSTRUCTOR";
  return (
    <main className="page wide">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/exercises`}>Exercises</Link> ·{" "}
        <Link href={`/courses/${courseId}/exercises/${slug}`}>Open the exercise</Link>
      </p>
      <h1>{item.title}: submissions</h1>
      <section className="card">
        <h2>Policies</h2>
        {isInstructor ? (
          <PolicyForm policies={policies} action={savePolicies.bind(null, courseId, slug)} />
        ) : (
          <p className="small">
            Due {policies.dueAt ? <DueDate iso={policies.dueAt} /> : "never"} ({policies.latePolicy === "REFUSE" ? "late refused" : "late accepted, flagged"}); attempts{" "}
            {policies.maxAttempts ?? "unlimited"}; {policies.rateBurst} at once, {policies.ratePerMinute} a minute.
          </p>
        )}
        <p className="small muted">
          {SCORE_RULES[policies.scoreRule]}
          {policies.latePenaltyPercentPerDay > 0 ? `; a late attempt loses ${policies.latePenaltyPercentPerDay} % per day late` : ""}. Extensions are set on each
          student&apos;s page. <Link href={`/courses/${courseId}/exercises/${slug}/live`}>Live view</Link> ·{" "}
          <Link href={`/courses/${courseId}/analysis/exercises/${slug}`}>Item analysis</Link> ·{" "}
          <a href={`/api/courses/${courseId}/exercises/${slug}/submissions.zip`} download>
            Download every submission (zip)
          </a>
        </p>
      </section>
      <section className="card">
        <h2>Grading</h2>
        <RegradeAll courseId={courseId} slug={slug} initial={progress} canRegrade={isInstructor} />
      </section>
      <section className="card scroll-x">
        <h2>Students</h2>
        <table data-testid="submissions-table">
          <thead>
            <tr>
              <th>Student</th>
              <th>Attempts</th>
              <th>Counted score</th>
              <th>Last submission</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {students.map((s) => (
              <tr key={s.userId} data-student={s.email}>
                <td>
                  <Link href={`/courses/${courseId}/students/${s.userId}`}>{s.name}</Link> <span className="small muted">{s.email}</span>
                </td>
                <td>
                  {s.attempts}
                  {s.late > 0 && <span className="badge late"> {s.late} late</span>}
                  {s.pending > 0 && <span className="badge queued"> {s.pending} grading</span>}
                </td>
                <td>
                  <CountedScore counted={s.counted} />
                  {s.extendedTo && (
                    <span className="small muted">
                      {" "}
                      · extended to <LocalTime iso={s.extendedTo} />
                    </span>
                  )}
                </td>
                <td className="small">{s.lastAt ? <LocalTime iso={s.lastAt} /> : <span className="muted">never</span>}</td>
                <td>{s.lastId && <Link href={`/courses/${courseId}/exercises/${slug}/submissions/${s.lastId}`}>Open</Link>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

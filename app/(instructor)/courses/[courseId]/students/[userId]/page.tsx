import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageId, requireCourseRole } from "@/lib/auth";
import { scoreText, studentRecord } from "@/lib/gradebook";
import { ActionForm } from "@/app/_components/ActionForm";
import { LocalTime } from "@/app/_components/LocalTime";
import { Attempts, ItemsTable, PollAnswers, Totals } from "@/app/_components/StudentRecordView";
import { extensionAction, lmsIdAction, overrideAction } from "../../gradebook/actions";
import { DeadlineInput } from "./DeadlineInput";
import "@/app/_components/editor/exercise.css";

export const metadata: Metadata = { title: "Student record" };
export const dynamic = "force-dynamic";

export default async function StudentPage({ params }: { params: Promise<{ courseId: string; userId: string }> }) {
  const { courseId, userId: rawUserId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const userId = pageId(rawUserId);
  const record = await studentRecord(courseId, userId, "staff");
  if (!record) notFound();
  const { student } = record;
  const exercises = record.columns.filter((c) => c.kind === "exercise");
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/gradebook`}>Gradebook</Link>
      </p>
      <h1>{student.name}</h1>
      <p className="muted">{student.email}</p>
      <section className="card">
        <Totals record={record} />
        <ActionForm className="wraps" action={lmsIdAction.bind(null, courseId)} submitLabel="Save" pendingLabel="Saving…" testId="lms-id-form">
          <input type="hidden" name="userId" value={student.userId} />
          <label htmlFor="lmsId">LMS id (Canvas SIS User ID, Moodle ID number) for the grade exports</label>
          <input id="lmsId" name="lmsId" type="text" defaultValue={student.lmsId ?? ""} />
        </ActionForm>
      </section>
      <section className="card scroll-x">
        <h2>Scores</h2>
        <ItemsTable
          record={record}
          extra={(key, i) => {
            const column = record.columns[i];
            if (column.anonymous || (column.kind === "poll" && column.scoring !== "graded")) return null;
            return (
              <details>
                <summary className="small">Override</summary>
                <ActionForm className="wraps" action={overrideAction.bind(null, courseId)} submitLabel="Save" pendingLabel="Saving…" testId={`override-${key}`}>
                  <input type="hidden" name="userId" value={student.userId} />
                  <input type="hidden" name="itemKey" value={key} />
                  <label htmlFor={`score-${key}`}>Score (of {column.points}; empty lifts the override)</label>
                  <input id={`score-${key}`} name="score" type="number" min={0} max={column.points} step="any" />
                  <label htmlFor={`comment-${key}`}>Why (the student sees this)</label>
                  <input id={`comment-${key}`} name="comment" type="text" />
                </ActionForm>
              </details>
            );
          }}
        />
      </section>
      <section className="card">
        <h2>Deadline extensions</h2>
        {record.extensions.length === 0 ? (
          <p className="small muted">None: each exercise&apos;s own deadline applies.</p>
        ) : (
          <ul className="plain-list" data-testid="extensions">
            {record.extensions.map((e) => (
              <li key={e.courseExerciseId}>
                {e.title}: extended to <LocalTime iso={e.dueAt} />
                {e.comment && <span className="small muted"> — {e.comment}</span>}
              </li>
            ))}
          </ul>
        )}
        {exercises.length > 0 && (
          <ActionForm className="wraps" action={extensionAction.bind(null, courseId)} submitLabel="Save" pendingLabel="Saving…" testId="extension-form">
            <input type="hidden" name="userId" value={student.userId} />
            <label htmlFor="extension-exercise">Exercise</label>
            <select id="extension-exercise" name="courseExerciseId">
              {exercises.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title} ({c.dueAt ? <>due <LocalTime iso={c.dueAt} /></> : "no deadline"})
                </option>
              ))}
            </select>
            <label htmlFor="extension-due">New deadline (empty removes the extension)</label>
            <DeadlineInput id="extension-due" initial={null} />
            <label htmlFor="extension-reason">Reason</label>
            <input id="extension-reason" name="comment" type="text" />
          </ActionForm>
        )}
      </section>
      {record.overrides.length > 0 && (
        <section className="card">
          <h2>Override history</h2>
          <ul className="plain-list" data-testid="override-history">
            {record.overrides.map((o) => (
              <li key={o.id}>
                <LocalTime iso={o.at} /> · {record.columns.find((c) => c.key === o.itemKey)?.shortTitle ?? o.itemKey}: {o.score === null ? "lifted" : scoreText(o.score)} by {o.by} — {o.comment}
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>Poll answers</h2>
      <PollAnswers record={record} staff />
      <h2>Exercise attempts</h2>
      <Attempts record={record} />
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { atLeast, requireCourseRole } from "@/lib/auth";
import { CATEGORIES, CATEGORY_LABELS, courseGradebook } from "@/lib/gradebook";
import { ActionForm } from "@/app/_components/ActionForm";
import { countedRoundAction, saveWeightsAction } from "./actions";
import { GradebookTable } from "./GradebookTable";
import "@/app/_components/editor/exercise.css";

export const metadata: Metadata = { title: "Gradebook" };
export const dynamic = "force-dynamic";

export default async function GradebookPage({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const book = await courseGradebook(courseId);
  const isInstructor = atLeast(access.role, "INSTRUCTOR");
  const csv = (format: string, columns = "items") => `/api/courses/${courseId}/gradebook.csv?format=${format}&columns=${columns}`;
  const resetPolls = book.columns.filter((c) => c.kind === "poll" && (c.rounds ?? 0) > 1);
  const anonymous = book.columns.filter((c) => c.anonymous).length;
  const polls = book.columns.filter((c) => c.kind === "poll");
  return (
    <main className="page wide">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/analysis`}>Item analysis</Link>
      </p>
      <h1>Gradebook</h1>
      <p className="actions">
        <a className="button secondary" href={csv("plain")} download>
          CSV
        </a>
        <a className="button secondary" href={csv("canvas")} download>
          Canvas CSV
        </a>
        <a className="button secondary" href={csv("moodle")} download>
          Moodle CSV
        </a>
        <a className="button secondary" href={csv("canvas", "totals")} download>
          Canvas CSV (totals only)
        </a>
        <span className="small muted">
          {book.rows.length} student{book.rows.length === 1 ? "" : "s"} · {polls.length} polls ({polls.filter((c) => c.given).length} given) · {book.columns.length - polls.length} exercises
          {anonymous > 0 && ` · ${anonymous} anonymous poll${anonymous === 1 ? "" : "s"} in no total or export`}
        </span>
      </p>
      <div className="card scroll-x">
        {book.rows.length === 0 ? (
          <p className="muted" data-testid="no-students">
            No student has joined yet. They join with the course&apos;s code (<Link href={`/courses/${courseId}/manage`}>Manage course</Link>); their scores appear here as they answer polls and submit exercises.
          </p>
        ) : (
          <>
            <GradebookTable book={book} courseId={courseId} />
            <p className="small muted">
              Polls: 1 = right, 0 = wrong, ? = &ldquo;I have no idea&rdquo;, ✓ = answered (opinion, practice or answer not set yet), — = not answered. * = overridden by staff (hover for the
              computed score and the reason), L = late. A poll counts once it has been opened; an exercise once graded or past the student&apos;s deadline.
            </p>
          </>
        )}
      </div>
      <section className="card">
        <h2>Weights</h2>
        <p className="small muted">Relative weights of the categories in the total; a category with nothing graded yet drops out.</p>
        {isInstructor ? (
          <ActionForm className="wraps" action={saveWeightsAction.bind(null, courseId)} submitLabel="Save weights" pendingLabel="Saving…" testId="weights-form">
            <div className="policy-form">
              {CATEGORIES.map((c) => (
                <div key={c}>
                  <label htmlFor={`w-${c}`}>{CATEGORY_LABELS[c]}</label>
                  <input id={`w-${c}`} name={c} type="number" min={0} step="any" defaultValue={book.settings.weights[c]} />
                </div>
              ))}
            </div>
          </ActionForm>
        ) : (
          <p>{CATEGORIES.map((c) => `${CATEGORY_LABELS[c]} ${book.settings.weights[c]}`).join(" · ")}</p>
        )}
      </section>
      {resetPolls.length > 0 && (
        <section className="card">
          <h2>Reset polls: which round counts</h2>
          {resetPolls.map((c) => (
            <div key={c.id}>
              {isInstructor ? (
                <ActionForm className="wraps" action={countedRoundAction.bind(null, courseId)} submitLabel="Save" pendingLabel="Saving…">
                  <input type="hidden" name="pollId" value={c.id} />
                  <label htmlFor={`round-${c.id}`}>
                    {c.shortTitle}: {c.title}
                  </label>
                  <select id={`round-${c.id}`} name="round" defaultValue={c.roundChosen ? String(c.round) : ""}>
                    <option value="">The latest round with answers (now {c.round})</option>
                    {Array.from({ length: c.rounds ?? 0 }, (_, i) => (
                      <option key={i} value={i + 1}>
                        Round {i + 1}
                      </option>
                    ))}
                  </select>
                </ActionForm>
              ) : (
                <p>
                  {c.shortTitle}: round {c.round} of {c.rounds} counts
                </p>
              )}
            </div>
          ))}
        </section>
      )}
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageId, requireCourseRole } from "@/lib/auth";
import { computeTally, pollResponses, projectorView } from "@/lib/polls";
import { LocalTime } from "@/app/_components/LocalTime";
import { Histogram } from "@/app/_components/Histogram";

export const metadata: Metadata = { title: "Poll results" };
export const dynamic = "force-dynamic";

export default async function PollResults({ params, searchParams }: { params: Promise<{ courseId: string; pollId: string }>; searchParams: Promise<{ round?: string }> }) {
  const { courseId, pollId: rawPollId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const pollId = pageId(rawPollId);
  const asked = Number((await searchParams).round);
  const round = Number.isInteger(asked) && asked > 0 && asked <= 2 ** 31 - 1 ? asked : undefined;
  const [view, responses, tally] = await Promise.all([projectorView(courseId, pollId), pollResponses(courseId, pollId, round), computeTally(pollId)]);
  if (!view || !responses || !tally) notFound();
  const current = responses.round === view.round;
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/lectures/${responses.poll.lectureId}`}>Lecture control</Link>
      </p>
      <h1>{view.title}</h1>
      <p className="muted">
        {view.status} · round {view.round} · {tally.total} answers{view.anonymous ? " · anonymous" : ""} ·{" "}
        <Link href={`/courses/${courseId}/analysis/polls/${pollId}`}>Item analysis</Link>
      </p>
      {responses.rounds.length > 1 && (
        <p className="actions small" data-testid="rounds">
          Rounds:
          {responses.rounds.map((r) => (
            <Link key={r.round} className={`button ${r.round === responses.round ? "" : "secondary"}`} href={`?round=${r.round}`}>
              Round {r.round} ({r.responses})
            </Link>
          ))}
        </p>
      )}
      <section className="card">
        <div className="prompt" dangerouslySetInnerHTML={{ __html: view.html }} />
        {current ? <Histogram bars={tally.bars} revealed respondents={tally.total} /> : <p className="muted">Round {responses.round} of {view.round}: its answers are listed below.</p>}
      </section>
      <section className="card">
        <h2>Responses in round {responses.round}</h2>
        <table data-testid="responses">
          <thead>
            <tr>
              <th>Student</th>
              <th>Answer</th>
              <th>Outcome</th>
              <th>Score</th>
              <th>Last change</th>
            </tr>
          </thead>
          <tbody>
            {responses.rows.map((r) => (
              <tr key={r.id}>
                <td>{r.name ?? <span className="muted">anonymous</span>}</td>
                <td>{r.answer}</td>
                <td className="small">{r.label ?? ""}</td>
                <td>{r.score !== null ? `${r.score} / ${r.maxScore}` : "—"}</td>
                <td className="small muted"><LocalTime iso={r.updatedAt} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

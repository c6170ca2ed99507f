import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageId, requireCourseRole } from "@/lib/auth";
import { pollAnalysis } from "@/lib/gradebook";
import { ABSTAIN_LABEL } from "@/lib/questions";
import { BarChart, fixed, percent } from "@/app/_components/BarChart";
import { ItemStats } from "@/app/_components/Stats";

export const metadata: Metadata = { title: "Poll analysis" };
export const dynamic = "force-dynamic";

export default async function PollAnalysisPage({ params }: { params: Promise<{ courseId: string; pollId: string }> }) {
  const { courseId, pollId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const a = await pollAnalysis(courseId, pageId(pollId));
  if (!a) notFound();
  const t = a.secondsToAnswer;
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/analysis`}>Item analysis</Link> ·{" "}
        <Link href={`/courses/${courseId}/polls/${pollId}/results`}>Responses</Link>
      </p>
      <h1>
        {a.item.pollNumber ? `Poll ${a.item.pollNumber}: ` : ""}
        {a.item.title}
      </h1>
      <p className="muted">
        Round {a.round}
        {a.rounds > 1 ? ` of ${a.rounds} (the one that counts)` : ""} · {a.responses} of {a.students} students answered
        {a.poll.practice ? " · practice (everyone their own numbers)" : ""}
        {a.scoring && a.scoring !== "graded" ? ` · ${a.scoring}` : ""}
      </p>
      <section className="card">
        <ItemStats
          difficulty={a.difficulty}
          discrimination={a.discrimination}
          extra={[
            ["Median time to answer", t.median === null ? "—" : `${fixed(t.median, 1)} s`],
            ["Changed their answer", String(a.changedTheirMind)],
          ]}
        />
        {t.n > 0 && (
          <p className="small muted">
            Time to first answer, {t.n} students: quartiles {fixed(t.q1, 1)} s – {fixed(t.q3, 1)} s, mean {fixed(t.mean, 1)} s.
          </p>
        )}
      </section>
      {a.responses === 0 && <p className="card muted">Nobody has answered {a.rounds > 1 ? "in this round" : "this poll"} yet: the answers and their mistakes appear here.</p>}
      {a.responses > 0 && a.choices && (
        <section className="card" data-testid="choice-distribution">
          <h2>Answers</h2>
          <BarChart
            title="Share of students choosing each answer"
            bars={a.choices.map((c) => ({
              label: c.id,
              labelHtml: `<strong>${c.id}</strong> ${c.html}`,
              share: c.share,
              text: `${c.count} · ${percent(c.share)}`,
              tone: c.abstain ? "abstain" : c.correct ? "good" : "bad",
              note: c.mistake, // (an abstention is no mistake: its grey bar and its text say what it is)
            }))}
          />
        </section>
      )}
      {a.responses > 0 && !a.choices && (
        <section className="card" data-testid="label-distribution">
          <h2>What the answers mean</h2>
          <BarChart
            title="Share of students by the mistake behind their answer"
            bars={a.labels.map((l) => ({ label: l.label, share: l.share, text: `${l.count} · ${percent(l.share)}`, tone: l.label === "correct" ? "good" : l.label === ABSTAIN_LABEL ? "abstain" : "bad" }))}
          />
        </section>
      )}
      {a.variants.length > 0 && (
        <section className="card scroll-x">
          <h2>Per variant</h2>
          <table>
            <thead>
              <tr>
                <th>Numbers</th>
                <th>Students</th>
                <th>Share right</th>
              </tr>
            </thead>
            <tbody>
              {a.variants.map((v) => (
                <tr key={JSON.stringify(v.params)}>
                  <td className="small">{v.params ? Object.entries(v.params).map(([k, val]) => `${k} = ${val}`).join(", ") : "the lecture's"}</td>
                  <td>{v.n}</td>
                  <td>{percent(v.difficulty)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

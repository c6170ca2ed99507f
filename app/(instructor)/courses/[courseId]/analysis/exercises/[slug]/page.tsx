import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { renderFeedback } from "@/lib/content";
import { slugSchema } from "@/lib/validation";
import { exerciseAnalysis } from "@/lib/gradebook";
import { BarChart, percent } from "@/app/_components/BarChart";
import { ItemStats } from "@/app/_components/Stats";

export const metadata: Metadata = { title: "Exercise analysis" };
export const dynamic = "force-dynamic";

// Check and mistake titles hold $…$ math: text with KaTeX, like all feedback.
const title = (s: string) => renderFeedback(s);

export default async function ExerciseAnalysisPage({ params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const a = slugSchema.safeParse(slug).success ? await exerciseAnalysis(courseId, slug) : null;
  if (!a) notFound();
  const buckets = Array.from({ length: 5 }, (_, i) => a.scores.filter((s) => (i === 4 ? s >= 0.8 : s >= i * 0.2 && s < (i + 1) * 0.2)).length);
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/analysis`}>Item analysis</Link> ·{" "}
        <Link href={`/courses/${courseId}/exercises/${slug}/submissions`}>Submissions</Link> · <Link href={`/courses/${courseId}/exercises/${slug}/live`}>Live view</Link>
      </p>
      <h1>{a.title}</h1>
      <p className="muted">
        {a.graded} of {a.students} students graded · {a.attempts} graded attempts · {a.points} points · the counted attempt of each student
      </p>
      <section className="card">
        <ItemStats difficulty={a.difficulty} discrimination={a.discrimination} />
      </section>
      <section className="card" data-testid="score-distribution">
        <h2>Scores</h2>
        {a.graded === 0 ? (
          <p className="muted">No graded attempt yet: the scores, checks and mistakes of the counted attempts appear here.</p>
        ) : (
          <BarChart
            title="Students by share of the points"
            bars={buckets.map((n, i) => ({ label: i === 4 ? "80–100 %" : `${i * 20}–${i * 20 + 20} %`, share: n / a.graded, text: String(n), tone: i === 4 ? "good" : undefined }))}
          />
        )}
      </section>
      {a.checks.length > 0 && (
        <section className="card" data-testid="check-pass-rates">
          <h2>Checks passed</h2>
          <BarChart title="Pass rate of each check" bars={a.checks.map((c) => ({ label: c.id, labelHtml: title(c.title), share: c.rate, text: `${c.passed}/${c.total} · ${percent(c.rate)}`, tone: c.rate >= 0.8 ? "good" : undefined }))} />
        </section>
      )}
      <section className="card" data-testid="diagnoses">
        <h2>Diagnoses</h2>
        {a.diagnoses.length === 0 ? (
          <p className="muted">No mistake named in the counted attempts.</p>
        ) : (
          <BarChart title="Share of counted attempts naming each mistake" bars={a.diagnoses.map((d) => ({ label: d.id, labelHtml: title(d.title), share: d.share, text: `${d.count} · ${percent(d.share)}`, tone: "bad" }))} />
        )}
        {a.everDiagnosed.length > 0 && (
          <>
            <h3>Students who made each mistake at least once</h3>
            <ul className="plain-list">
              {a.everDiagnosed.map((d) => (
                <li key={d.id}>
                  <span dangerouslySetInnerHTML={{ __html: title(d.title) }} /> — {d.students} student{d.students === 1 ? "" : "s"}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </main>
  );
}

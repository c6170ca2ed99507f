import type { Metadata } from "next";
import Link from "next/link";
import { requireCourseRole } from "@/lib/auth";
import { courseGradebook } from "@/lib/gradebook";

export const metadata: Metadata = { title: "Item analysis" };
export const dynamic = "force-dynamic";

export default async function AnalysisIndex({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const book = await courseGradebook(courseId);
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/gradebook`}>Gradebook</Link>
      </p>
      <h1>Item analysis</h1>
      <p className="muted small">Difficulty, discrimination, the answers and mistakes behind them, per poll and per exercise (formulas: lib/analysis/README.md).</p>
      <section className="card">
        <h2>Polls</h2>
        <ul className="plain-list">
          {book.columns
            .filter((c) => c.kind === "poll")
            .map((c) => (
              <li key={c.id}>
                <Link href={`/courses/${courseId}/analysis/polls/${c.id}`}>{c.shortTitle}</Link> <span className="small muted">{c.title}{c.given ? "" : " · not given yet"}</span>
              </li>
            ))}
        </ul>
      </section>
      <section className="card">
        <h2>Exercises</h2>
        <ul className="plain-list">
          {book.columns
            .filter((c) => c.kind === "exercise")
            .map((c) => (
              <li key={c.id}>
                <Link href={`/courses/${courseId}/analysis/exercises/${c.slug}`}>{c.title}</Link> ·{" "}
                <Link className="small" href={`/courses/${courseId}/exercises/${c.slug}/live`}>
                  live view
                </Link>
              </li>
            ))}
        </ul>
      </section>
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { requireCourseRole } from "@/lib/auth";
import { participation } from "@/lib/polls";
import { ABSTAIN_LABEL } from "@/lib/questions/client";

export const metadata: Metadata = { title: "Results" };
export const dynamic = "force-dynamic";

export default async function CourseResults({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const { polls, students } = await participation(courseId);
  return (
    <main className="page wide">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link>
      </p>
      <h1>Poll results</h1>
      <p className="actions">
        <a className="button secondary" href={`/api/courses/${courseId}/results.csv`} download>
          Download CSV
        </a>
        <span className="small muted">
          {students.length} students · {polls.length} polls
        </span>
      </p>
      <div className="card scroll-x">
        <table data-testid="participation">
          <thead>
            <tr>
              <th>Student</th>
              <th>Answered</th>
              <th>Score</th>
              {polls.map((p) => (
                <th key={p.id} title={p.title}>
                  <Link href={`/courses/${courseId}/polls/${p.id}/results`}>{p.itemSlug.replace(/^poll-(\d+)-.*/, "Poll $1")}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {students.map((s) => (
              <tr key={s.userId}>
                <td>{s.name}</td>
                <td>
                  {s.answered} / {polls.length}
                </td>
                <td>{s.score}</td>
                {s.cells.map((c, i) => (
                  <td key={polls[i].id} className={c?.label === "correct" ? "cell-good" : c?.label && c.label !== ABSTAIN_LABEL ? "cell-bad" : ""} title={c?.label ?? ""}>
                    {c?.answer ?? <span className="muted">—</span>}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}

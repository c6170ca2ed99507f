import Link from "next/link";
import { CountedScore } from "@/app/_components/CountedScore";
import { requireCourseRole } from "@/lib/auth";
import { exerciseList } from "@/lib/submissions";
import { DueDate } from "@/app/_components/editor/Feedback";

export const dynamic = "force-dynamic";
export const metadata = { title: "Exercises" };

export default async function ExercisesPage({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  const exercises = await exerciseList(courseId, access.user.id);
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link>
      </p>
      <h1>Exercises</h1>
      {exercises.length === 0 ? (
        <p className="card muted">This course has no code exercises yet.</p>
      ) : (
        <div className="card scroll-x">
          <table data-testid="exercise-list">
            <thead>
              <tr>
                <th>Exercise</th>
                <th>Due</th>
                <th>Your attempts</th>
                <th>Score that counts</th>
                {access.isStaff && <th>Staff</th>}
              </tr>
            </thead>
            <tbody>
              {exercises.map((e) => (
                <tr key={e.slug}>
                  <td>
                    <Link href={`/courses/${courseId}/exercises/${e.slug}`}>{e.title}</Link>
                  </td>
                  <td className="small">{e.policies.dueAt ? <DueDate iso={e.policies.dueAt} /> : <span className="muted">no deadline</span>}</td>
                  <td>
                    {e.attempts}
                    {e.policies.maxAttempts ? ` / ${e.policies.maxAttempts}` : ""}
                  </td>
                  <td>
                    <CountedScore counted={e.counted} />
                  </td>
                  {access.isStaff && (
                    <td>
                      <Link href={`/courses/${courseId}/exercises/${e.slug}/submissions`}>Submissions</Link>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

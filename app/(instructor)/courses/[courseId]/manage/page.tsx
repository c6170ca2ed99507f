import type { Metadata } from "next";
import Link from "next/link";
import { atLeast, requireCourseRole } from "@/lib/auth";
import { roster } from "@/lib/courses";
import { ActionForm } from "@/app/_components/ActionForm";
import { regenerateJoinCodeAction, setRoleAction } from "@/app/courses/actions";

export const metadata: Metadata = { title: "Manage course" };
export const dynamic = "force-dynamic";

export default async function ManageCourse({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const people = await roster(courseId);
  const isInstructor = atLeast(access.role, "INSTRUCTOR");
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link>
      </p>
      <h1>Manage course</h1>
      <section className="card">
        <h2>Join code</h2>
        <p className="join-code" data-testid="join-code">
          {access.course.joinCode}
        </p>
        <p className="muted small">Students sign up, then enter this code on their home page.</p>
        {isInstructor && (
          <form action={regenerateJoinCodeAction.bind(null, courseId)}>
            <button type="submit" className="secondary">
              New join code
            </button>
          </form>
        )}
      </section>
      <section className="card">
        <h2>People ({people.length})</h2>
        <table data-testid="roster">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody>
            {people.map((e) => (
              <tr key={e.id}>
                <td>{e.user.name}</td>
                <td className="small">{e.user.email}</td>
                <td>
                  {isInstructor ? (
                    <ActionForm action={setRoleAction.bind(null, courseId)} submitLabel="Save" pendingLabel="Saving…">
                      <input type="hidden" name="userId" value={e.user.id} />
                      <select name="role" defaultValue={e.role} aria-label={`Role of ${e.user.name}`}>
                        <option value="STUDENT">Student</option>
                        <option value="TA">TA</option>
                        <option value="INSTRUCTOR">Instructor</option>
                      </select>
                    </ActionForm>
                  ) : (
                    <span className={`badge ${e.role.toLowerCase()}`}>{e.role}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

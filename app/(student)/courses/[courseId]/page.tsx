import Link from "next/link";
import { requireCourseRole } from "@/lib/auth";
import { db } from "@/lib/db";

export const dynamic = "force-dynamic";

export default async function CourseHome({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  const lectures = await db().lecture.findMany({ where: { courseId }, orderBy: { position: "asc" } });
  return (
    <main className="page">
      <p className="small muted">
        <Link href="/">Your courses</Link>
      </p>
      <h1>{access.course.title}</h1>
      <p className="actions">
        <span className={`badge ${access.role.toLowerCase()}`}>{access.role}</span>
        {access.isStaff && (
          <Link className="button secondary" href={`/courses/${courseId}/manage`}>
            Manage course
          </Link>
        )}
      </p>
      <section className="card">
        <h2>Lectures</h2>
        {lectures.length === 0 ? (
          <p className="muted">No lectures yet.</p>
        ) : (
          <ul>
            {lectures.map((l) => (
              <li key={l.id}>{l.title}</li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

import Link from "next/link";
import { requireCourseRole } from "@/lib/auth";
import { db } from "@/lib/db";
import { studentPolls } from "@/lib/polls";
import { LivePolls } from "./LivePolls";

export const dynamic = "force-dynamic";

export default async function CourseHome({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  const [polls, lectures] = await Promise.all([
    studentPolls(access.user.id, courseId),
    access.isStaff ? db().lecture.findMany({ where: { courseId }, orderBy: { position: "asc" }, include: { _count: { select: { polls: true } } } }) : [],
  ]);
  return (
    <main className="page phone-first">
      <p className="small muted">
        <Link href="/">Your courses</Link>
      </p>
      <h1>{access.course.title}</h1>
      <p className="actions">
        <span className={`badge ${access.role.toLowerCase()}`}>{access.role}</span>
        <Link className="button secondary" href={`/courses/${courseId}/exercises`} data-testid="exercises-link">
          Exercises
        </Link>
        {!access.isStaff && (
          <>
            <Link className="button secondary" href={`/courses/${courseId}/grades`} data-testid="my-grades-link">
              My grades
            </Link>
            <Link className="button secondary" href={`/courses/${courseId}/polls`} data-testid="history-link">
              Polls history
            </Link>
          </>
        )}
        {access.isStaff && (
          <>
            <Link className="button secondary" href={`/courses/${courseId}/gradebook`} data-testid="gradebook-link">
              Gradebook
            </Link>
            <Link className="button secondary" href={`/courses/${courseId}/manage`}>
              Manage course
            </Link>
          </>
        )}
      </p>
      {access.isStaff && (
        <section className="card">
          <h2>Lectures</h2>
          <ul className="plain-list">
            {lectures.map((l) => (
              <li key={l.id}>
                <Link href={`/courses/${courseId}/lectures/${l.id}`}>{l.title}</Link> <span className="small muted">· {l._count.polls} polls</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>Live polls</h2>
      <LivePolls courseId={courseId} initial={polls} history={!access.isStaff} />
    </main>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { studentRecord } from "@/lib/gradebook";
import { Attempts, ItemsTable, Totals } from "@/app/_components/StudentRecordView";
import "@/app/_components/editor/exercise.css";

export const metadata: Metadata = { title: "My grades" };
export const dynamic = "force-dynamic";

export default async function MyGrades({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  const record = await studentRecord(courseId, access.user.id, "student");
  if (!record) notFound(); // staff have no grades of their own
  return (
    <main className="page phone-first">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link>
      </p>
      <h1>My grades</h1>
      <section className="card">
        <Totals record={record} />
        <p className="small muted">
          Polls count once opened (taking part, and getting graded polls right); exercises once graded or past your deadline. Anonymous polls are in no total.{" "}
          <Link href={`/courses/${courseId}/polls`} data-testid="poll-history-link">
            Every poll run, answered or missed
          </Link>
        </p>
      </section>
      <section className="card scroll-x">
        <h2>Items</h2>
        <ItemsTable record={record} />
      </section>
      <h2>Exercise attempts</h2>
      <Attempts record={record} />
    </main>
  );
}

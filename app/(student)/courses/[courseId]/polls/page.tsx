// The course's Polls history: every poll run in the course, round by round, lecture by lecture, with the
// student's answer (or "Not answered") and, once the poll is revealed, the right answer and the explanation.
// The live page keeps only the last few hours; this keeps the rest. Staff have no answers of their own: a
// student's record is theirs to read on the student's page.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { studentRecord } from "@/lib/gradebook";
import { PollAnswers } from "@/app/_components/StudentRecordView";

export const metadata: Metadata = { title: "Polls history" };
export const dynamic = "force-dynamic";

export default async function PollsHistory({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  const record = await studentRecord(courseId, access.user.id, "student");
  if (!record) notFound();
  return (
    <main className="page phone-first">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/grades`}>My grades</Link>
      </p>
      <h1>Polls history</h1>
      <p className="muted">Every poll run in this course, with your answer or the ones you missed; open polls are answered on the course page.</p>
      <PollAnswers record={record} staff={false} />
    </main>
  );
}

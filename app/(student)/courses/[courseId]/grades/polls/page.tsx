import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireCourseRole } from "@/lib/auth";
import { studentRecord } from "@/lib/gradebook";
import { PollAnswers } from "@/app/_components/StudentRecordView";

export const metadata: Metadata = { title: "My poll answers" };
export const dynamic = "force-dynamic";

export default async function PollHistory({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  const record = await studentRecord(courseId, access.user.id, "student");
  if (!record) notFound();
  return (
    <main className="page phone-first">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link> · <Link href={`/courses/${courseId}/grades`}>My grades</Link>
      </p>
      <h1>My poll answers</h1>
      <PollAnswers record={record} staff={false} />
    </main>
  );
}

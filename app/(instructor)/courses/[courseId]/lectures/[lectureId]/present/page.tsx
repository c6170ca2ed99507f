import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { renderSVG } from "uqr";
import { pageId, requireCourseRole } from "@/lib/auth";
import { db } from "@/lib/db";
import { lecturePolls, lectureWall, projectorView } from "@/lib/polls";
import { studentAddress } from "@/lib/server/public-address";
import { Presenter } from "./Presenter";

export const metadata: Metadata = { title: "Presenter view" };
export const dynamic = "force-dynamic";

// The lecture's one wall tab: it follows the poll the instructor opens (or moves to), driven from the control
// page or by keyboard. No site header: nothing on the wall but the question, the room's answers and where to
// answer (the address as text and as a QR code that opens the join form with the code filled in).
export default async function PresentPage({ params }: { params: Promise<{ courseId: string; lectureId: string }> }) {
  const { courseId, lectureId: rawLectureId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const lectureId = pageId(rawLectureId);
  const lecture = await db().lecture.findFirst({ where: { id: lectureId, courseId }, select: { id: true, title: true } });
  if (!lecture) notFound();
  const [polls, wall] = await Promise.all([lecturePolls(courseId, lectureId), lectureWall(courseId, lectureId)]);
  const view = wall?.pollId ? await projectorView(courseId, wall.pollId) : null;
  const address = studentAddress();
  const joinUrl = `${address.url}/?join=${encodeURIComponent(access.course.joinCode)}`;
  return (
    <Presenter
      courseId={courseId}
      lecture={lecture}
      polls={polls.map((p) => ({ id: p.id, title: p.title, pollNumber: p.pollNumber, quick: p.quick, status: p.status }))}
      initialWall={wall ?? { pollId: null, results: false, names: false, demo: false }}
      initialView={view}
      join={{ address: address.url.replace(/^https?:\/\//, ""), code: access.course.joinCode, qrSvg: renderSVG(joinUrl, { border: 1 }) }}
    />
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pageId, requireCourseRole } from "@/lib/auth";
import { db } from "@/lib/db";
import { lecturePolls, lectureWall } from "@/lib/polls";
import { DEMOS } from "@/lib/questions";
import { studentAddress } from "@/lib/server/public-address";
import { PollControls } from "./PollControls";

export const metadata: Metadata = { title: "Lecture control" };
export const dynamic = "force-dynamic";

export default async function LectureControl({ params }: { params: Promise<{ courseId: string; lectureId: string }> }) {
  const { courseId, lectureId: rawLectureId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const lectureId = pageId(rawLectureId);
  const lecture = await db().lecture.findFirst({ where: { id: lectureId, courseId } });
  if (!lecture) notFound();
  const [polls, wall] = await Promise.all([lecturePolls(courseId, lectureId), lectureWall(courseId, lectureId)]);
  const address = studentAddress();
  return (
    <main className="page">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link>
      </p>
      <h1>{lecture.title}</h1>
      <p className="muted">
        Students answer at <strong>{address.url}</strong> after joining with code{" "}
        <strong className="join-code-inline">{access.course.joinCode}</strong>. Open a poll and it appears on their phones at once.
      </p>
      {!address.reachableFromRoom && (
        <p className="notice" role="note">
          This server listens on this computer only, so phones in the room cannot reach it. Restart it with{" "}
          <code>HOST=0.0.0.0 npm start</code> to serve the local network.
        </p>
      )}
      <p className="actions">
        <Link className="button secondary" href={DEMOS["digit-network"].path} target="_blank" data-testid="demo-link">
          {DEMOS["digit-network"].title} (Polls 5–8)
        </Link>
        <span className="small muted">Opens the demo in a tab of its own; the presenter view can also show it beside Polls 5–8.</span>
      </p>
      <PollControls courseId={courseId} lectureId={lectureId} initial={polls} initialWall={wall ?? { pollId: null, results: false, names: false, demo: false }} />
    </main>
  );
}

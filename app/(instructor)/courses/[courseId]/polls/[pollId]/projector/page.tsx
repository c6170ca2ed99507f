import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { pageId, requireCourseRole } from "@/lib/auth";
import { projectorView } from "@/lib/polls";
import { studentAddress } from "@/lib/server/public-address";
import { Projector } from "./Projector";

export const metadata: Metadata = { title: "Projector" };
export const dynamic = "force-dynamic";

export default async function ProjectorPage({ params }: { params: Promise<{ courseId: string; pollId: string }> }) {
  const { courseId, pollId: rawPollId } = await params;
  const access = await requireCourseRole(courseId, "TA");
  const pollId = pageId(rawPollId);
  const view = await projectorView(courseId, pollId);
  if (!view) notFound();
  return <Projector initial={view} joinCode={access.course.joinCode} answerUrl={studentAddress().url} />;
}

// The course's Polls history: every poll run in it, lecture by lecture, with the student's answer and, once
// revealed, the right option and their result. The live page keeps only the last few hours; this keeps the rest.
import Link from "next/link";
import { requireCourseRole } from "@/lib/auth";
import { pollHistory } from "@/lib/polls";
import { PollCard } from "../LivePolls";

export const dynamic = "force-dynamic";

export default async function PollsHistory({ params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await requireCourseRole(courseId);
  const history = await pollHistory(access.user.id, courseId);
  return (
    <main className="page phone-first">
      <p className="small muted">
        <Link href={`/courses/${courseId}`}>{access.course.title}</Link>
      </p>
      <h1>Polls history</h1>
      <p className="muted">Every poll closed in this course, with your answer; open polls are answered on the course page.</p>
      {history.length === 0 ? (
        <p className="card muted" data-testid="no-history">
          No poll of this course has been closed yet.
        </p>
      ) : (
        history.map(({ lecture, polls }) => (
          <section key={lecture} data-testid="history-lecture">
            <h2>{lecture}</h2>
            {polls.map((p) => (
              <PollCard key={p.id} courseId={courseId} poll={p} />
            ))}
          </section>
        ))
      )}
    </main>
  );
}

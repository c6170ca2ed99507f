// Staff only: anonymous mode, practice mode, and the right answer of questions whose answer is set live.
import { guardCourseRoute } from "@/lib/auth";
import { updatePollSettings } from "@/lib/polls";
import { errorResponse, readJson } from "@/app/api/_lib/respond";

export async function POST(request: Request, { params }: { params: Promise<{ courseId: string; pollId: string }> }) {
  const { courseId, pollId } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  try {
    const poll = await updatePollSettings(courseId, pollId, await readJson(request));
    return Response.json({ id: poll.id, anonymous: poll.anonymous, practice: poll.practice, instructorAnswer: poll.instructorAnswer });
  } catch (e) {
    return errorResponse(e);
  }
}

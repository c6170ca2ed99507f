// A student's answer to an open poll. Idempotent per key: a phone on a flaky connection retries safely.
import { guardCourseRoute } from "@/lib/auth";
import { submitAnswer } from "@/lib/polls";
import { errorResponse, readJson } from "@/app/api/_lib/respond";

export async function POST(request: Request, { params }: { params: Promise<{ courseId: string; pollId: string }> }) {
  const { courseId, pollId } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  try {
    return Response.json(await submitAnswer(access.user.id, courseId, pollId, await readJson(request, 8_000)));
  } catch (e) {
    return errorResponse(e);
  }
}

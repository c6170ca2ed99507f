// A student submits code (committed QUEUED before grading; 429 over the rate limit), or lists their attempts.
import { guardCourseRoute } from "@/lib/auth";
import { attemptsOf, courseExercise, submitCode } from "@/lib/submissions";
import { errorResponse, readJson } from "@/app/api/_lib/respond";

type Params = { params: Promise<{ courseId: string; slug: string }> };

export async function POST(request: Request, { params }: Params) {
  const { courseId, slug } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  try {
    return Response.json(await submitCode(access.user.id, courseId, slug, await readJson(request, 80_000)), { status: 201 });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function GET(_request: Request, { params }: Params) {
  const { courseId, slug } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  try {
    const exercise = await courseExercise(courseId, slug);
    return Response.json({ attempts: await attemptsOf(exercise.id, access.user.id) });
  } catch (e) {
    return errorResponse(e);
  }
}

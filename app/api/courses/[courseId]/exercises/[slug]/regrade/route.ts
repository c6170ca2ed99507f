// Staff: "Regrade all" (POST) and its progress (GET).
import { guardCourseRoute } from "@/lib/auth";
import { regradeAll, regradeProgress } from "@/lib/submissions";
import { errorResponse } from "@/app/api/_lib/respond";

type Params = { params: Promise<{ courseId: string; slug: string }> };

export async function POST(_request: Request, { params }: Params) {
  const { courseId, slug } = await params;
  const access = await guardCourseRoute(courseId, "INSTRUCTOR");
  if (access instanceof Response) return access;
  try {
    const queued = await regradeAll(courseId, slug);
    return Response.json({ queued, progress: await regradeProgress(courseId, slug) });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function GET(_request: Request, { params }: Params) {
  const { courseId, slug } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  try {
    return Response.json(await regradeProgress(courseId, slug));
  } catch (e) {
    return errorResponse(e);
  }
}

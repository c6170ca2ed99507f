// The polls a student sees now: open ones, and recently closed or revealed ones with their result.
import { guardCourseRoute } from "@/lib/auth";
import { studentPolls } from "@/lib/polls";
import { errorResponse } from "@/app/api/_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  try {
    return Response.json({ polls: await studentPolls(access.user.id, courseId) }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}

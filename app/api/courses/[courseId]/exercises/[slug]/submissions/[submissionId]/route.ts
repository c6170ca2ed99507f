// One submission's state: queue position, the checks finished so far, or the feedback. Owner or staff.
import { guardCourseRoute } from "@/lib/auth";
import { submissionState } from "@/lib/submissions";
import { errorResponse } from "@/app/api/_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ courseId: string; slug: string; submissionId: string }> }) {
  const { courseId, submissionId } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  try {
    return Response.json(await submissionState(courseId, submissionId, access.isStaff ? null : access.user.id));
  } catch (e) {
    return errorResponse(e);
  }
}

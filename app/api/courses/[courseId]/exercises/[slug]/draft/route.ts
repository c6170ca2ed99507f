// Autosave of the editor: one draft per student and exercise, so closing the tab loses nothing.
import { guardCourseRoute } from "@/lib/auth";
import { saveDraft } from "@/lib/submissions";
import { errorResponse, readJson } from "@/app/api/_lib/respond";

async function save(request: Request, { params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const access = await guardCourseRoute(courseId);
  if (access instanceof Response) return access;
  try {
    return Response.json(await saveDraft(access.user.id, courseId, slug, await readJson(request, 80_000)));
  } catch (e) {
    return errorResponse(e);
  }
}

export const PUT = save;
// navigator.sendBeacon (when the tab closes) can only POST.
export const POST = save;

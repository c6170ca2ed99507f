// Staff only: every submission of an exercise, as a ZIP of the code with an index.csv.
import { guardCourseRoute } from "@/lib/auth";
import { submissionsArchive } from "@/lib/submissions";
import { errorResponse } from "@/app/api/_lib/respond";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ courseId: string; slug: string }> }) {
  const { courseId, slug } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  try {
    const body = await submissionsArchive(courseId, slug);
    return new Response(new Uint8Array(body), {
      headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${slug}-submissions.zip"`, "Cache-Control": "no-store" },
    });
  } catch (e) {
    return errorResponse(e);
  }
}

// Staff only: participation and answers of every student in every poll, as CSV.
import { guardCourseRoute } from "@/lib/auth";
import { participationCsv } from "@/lib/polls";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  const name = access.course.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "course";
  return new Response(await participationCsv(courseId), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}-polls.csv"`, "Cache-Control": "no-store" },
  });
}

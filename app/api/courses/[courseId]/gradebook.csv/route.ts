// Staff only: the gradebook as CSV, ?format=plain|canvas|moodle and ?columns=items|totals.
import { z } from "zod";
import { guardCourseRoute } from "@/lib/auth";
import { courseGradebook, EXPORT_FORMATS, gradebookCsv } from "@/lib/gradebook";

export const dynamic = "force-dynamic";

const query = z.object({ format: z.enum(EXPORT_FORMATS).default("plain"), columns: z.enum(["items", "totals"]).default("items") });

export async function GET(request: Request, { params }: { params: Promise<{ courseId: string }> }) {
  const { courseId } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: `format is one of ${EXPORT_FORMATS.join(", ")}; columns is items or totals.` }, { status: 400 });
  const { format, columns } = parsed.data;
  const name = access.course.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "course";
  return new Response(gradebookCsv(await courseGradebook(courseId), format, columns), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-grades-${format}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

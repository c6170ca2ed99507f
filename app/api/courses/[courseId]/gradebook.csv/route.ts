// Staff only: the gradebook as CSV, ?format=plain|canvas|moodle and ?columns=items|totals.
import { z } from "zod";
import { parseInput } from "@/lib/errors";
import { courseGradebook, EXPORT_FORMATS, gradebookCsv } from "@/lib/gradebook";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

const query = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `format is one of ${EXPORT_FORMATS.join(", ")}` }).default("plain"),
  columns: z.enum(["items", "totals"], { error: "columns is items or totals" }).default("items"),
});

export const GET = route({ access: "TA" }, async ({ access, params, request }) => {
  const { format, columns } = parseInput(query, Object.fromEntries(new URL(request.url).searchParams));
  const name = access!.course.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "course";
  return new Response(gradebookCsv(await courseGradebook(params.courseId), format, columns), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}-grades-${format}.csv"` },
  });
});

// Staff only: participation and answers of every student in every poll, as CSV.
import { participationCsv } from "@/lib/polls";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

export const GET = route({ access: "TA" }, async ({ access, params }) => {
  const name = access!.course.title.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "course";
  return new Response(await participationCsv(params.courseId), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${name}-polls.csv"` },
  });
});

// Staff only: every submission of an exercise, as a ZIP of the code with an index.csv.
import { submissionsArchive } from "@/lib/submissions";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

export const GET = route({ access: "TA" }, async ({ params }) => {
  const body = await submissionsArchive(params.courseId, params.slug);
  return new Response(new Uint8Array(body), {
    headers: { "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="${params.slug}-submissions.zip"` },
  });
});

// Staff: "Regrade all" (POST) and its progress (GET).
import { regradeAll, regradeProgress } from "@/lib/submissions";
import { route } from "@/app/api/_lib/route-wrapper";

export const POST = route({ access: "INSTRUCTOR" }, async ({ params }) => {
  const queued = await regradeAll(params.courseId, params.slug);
  return { queued, progress: await regradeProgress(params.courseId, params.slug) };
});

export const GET = route({ access: "TA" }, ({ params }) => regradeProgress(params.courseId, params.slug));

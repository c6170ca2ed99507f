// Staff: what the lecture's presenter view shows (GET), and changing it from the control page or the
// presenter's keyboard (POST): which poll, its results, names, the demo beside it.
import { lectureWall, PollError, updateWall } from "@/lib/polls";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

export const GET = route({ access: "TA" }, async ({ params }) => {
  const wall = await lectureWall(params.courseId, params.lectureId);
  if (!wall) throw new PollError("not-found", "This lecture does not exist.");
  return wall;
});

export const POST = route({ access: "TA", body: "json" }, ({ params, body }) => updateWall(params.courseId, params.lectureId, body));

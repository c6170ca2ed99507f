// Staff only: the projector's view of a poll (GET) and the lifecycle actions open/close/reveal/reset (POST).
import { guardCourseRoute } from "@/lib/auth";
import { controlPoll, projectorView } from "@/lib/polls";
import { errorResponse, readJson } from "@/app/api/_lib/respond";

type Params = { params: Promise<{ courseId: string; pollId: string }> };
export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: Params) {
  const { courseId, pollId } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  try {
    const view = await projectorView(courseId, pollId);
    return view ? Response.json(view, { headers: { "Cache-Control": "no-store" } }) : Response.json({ error: "Not found." }, { status: 404 });
  } catch (e) {
    return errorResponse(e);
  }
}

export async function POST(request: Request, { params }: Params) {
  const { courseId, pollId } = await params;
  const access = await guardCourseRoute(courseId, "TA");
  if (access instanceof Response) return access;
  try {
    const poll = await controlPoll(courseId, pollId, await readJson(request));
    return Response.json({ id: poll.id, status: poll.status, round: poll.round, closesAt: poll.closesAt });
  } catch (e) {
    return errorResponse(e);
  }
}

// Staff only: the projector's view of a poll (GET) and the lifecycle actions open/close/reveal/reset (POST).
import { controlPoll, PollError, projectorView } from "@/lib/polls";
import { route } from "@/app/api/_lib/route-wrapper";

export const dynamic = "force-dynamic";

export const GET = route({ access: "TA" }, async ({ params }) => {
  const view = await projectorView(params.courseId, params.pollId);
  if (!view) throw new PollError("not-found", "This poll does not exist.");
  return view;
});

export const POST = route({ access: "TA", body: "json" }, async ({ params, body }) => {
  const poll = await controlPoll(params.courseId, params.pollId, body);
  return { id: poll.id, status: poll.status, round: poll.round, closesAt: poll.closesAt };
});
